package io.smlguardian.store.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Batches handed to consumer threads: all consumed, and a consumer's failure reaches the caller.
 */
class HandoffTest {

  private static final ExecutorService THREADS = Executors.newCachedThreadPool();

  @AfterAll
  static void stop() {
    THREADS.shutdownNow();
  }

  @Test
  void everyBatchIsConsumedOnceWhateverTheThreads() throws IOException {
    for (int consumers : List.of(1, 2, 3)) {
      ConcurrentLinkedQueue<Integer> consumed = new ConcurrentLinkedQueue<>();
      Handoff<Integer> handoff = new Handoff<>(THREADS, 2, consumers, consumed::add);
      for (int i = 0; i < 1000; i++) {
        handoff.put(i);
      }
      handoff.finish();

      assertThat(consumed).hasSize(1000).doesNotHaveDuplicates();
    }
  }

  /** Puts 1,000 batches through consumers that fail at batch 7, and finishes. */
  private static void putThroughConsumersFailingAt7(int consumers) throws IOException {
    Handoff<Integer> handoff =
        new Handoff<>(
            THREADS,
            2,
            consumers,
            batch -> {
              if (batch == 7) {
                throw new IOException("disk full at batch 7");
              }
            });
    for (int i = 0; i < 1000; i++) {
      handoff.put(i);
    }
    handoff.finish();
  }

  @Test
  void aConsumersFailureReachesTheCallerAsItWas() {
    assertThatThrownBy(() -> putThroughConsumersFailingAt7(2))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full at batch 7");
  }

  @Test
  void aConsumersFailureEndsTheOtherConsumersWhileTheProducerKeepsPutting() {
    // A producer refilling the queue right after a failure once made the other consumers' ending
    // get lost, and finish() waited for them forever (within ten rounds, most runs).
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int round = 0; round < 20; round++) {
            assertThatThrownBy(() -> putThroughConsumersFailingAt7(3))
                .hasMessage("disk full at batch 7");
          }
        });
  }

  @Test
  void withoutAnExecutorTheCallerConsumes() throws IOException {
    Thread caller = Thread.currentThread();
    Handoff<Integer> handoff =
        new Handoff<>(null, 2, 1, batch -> assertThat(Thread.currentThread()).isSameAs(caller));
    handoff.put(1);
    handoff.finish();
    assertThatThrownBy(
            () ->
                new Handoff<Integer>(
                        null,
                        2,
                        1,
                        batch -> {
                          throw new IllegalStateException("bad batch");
                        })
                    .put(1))
        .hasMessage("bad batch");
  }

  @Test
  void aSourceIsFedInBatchesTheLastOneShort() throws IOException {
    ConcurrentLinkedQueue<Integer> sizes = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> items = new ConcurrentLinkedQueue<>();
    Handoff<List<Integer>> handoff =
        new Handoff<>(
            THREADS,
            2,
            1,
            batch -> {
              sizes.add(batch.size());
              items.addAll(batch);
            });

    long fed =
        Handoff.feedInBatches(
            handoff,
            3,
            sink -> {
              for (int i = 0; i < 7; i++) {
                sink.accept(i);
              }
            });

    assertThat(fed).isEqualTo(7);
    assertThat(sizes).containsExactly(3, 3, 1);
    assertThat(items).containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void aFailingSourceStillFinishesTheConsumerAndThrowsItsFailure() {
    ConcurrentLinkedQueue<Integer> items = new ConcurrentLinkedQueue<>();
    Handoff<List<Integer>> handoff = new Handoff<>(THREADS, 2, 1, items::addAll);

    assertThatThrownBy(
            () ->
                Handoff.feedInBatches(
                    handoff,
                    2,
                    sink -> {
                      sink.accept(1);
                      sink.accept(2);
                      throw new IOException("read failed");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("read failed");
    assertThat(items).as("the full batch before the failure was consumed").containsExactly(1, 2);
  }
}
