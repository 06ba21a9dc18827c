package io.smlguardian.store.streaming;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Hands batches from the calling thread to a consumer on another thread through a small bounded
 * queue, so that reading and writing overlap: a backup reads the database while the previous batch
 * is encoded, compressed and hashed; a restore parses the next page while the previous one is
 * inserted. Memory stays bounded by the queue. A consumer's failure reaches the caller at its next
 * {@link #put} or at {@link #finish}; without an executor the consumer runs in the caller's thread.
 *
 * @param <T> a batch
 */
public final class Handoff<T> {

  /** Consumes one batch. */
  @FunctionalInterface
  public interface Consumer<T> {
    void accept(T batch) throws Exception;
  }

  private static final Object END = new Object();

  private final Consumer<T> consumer;
  private final BlockingQueue<Object> queue;
  private final int consumers;
  private final CompletableFuture<Void> done;
  private volatile boolean failed;

  /**
   * @param executor the threads to consume on (the container's managed executor), or null to
   *     consume in the caller's thread
   * @param consumers how many threads consume at once (batches are then consumed in any order)
   */
  public Handoff(Executor executor, int capacity, int consumers, Consumer<T> consumer) {
    this.consumer = consumer;
    this.consumers = consumers;
    if (executor == null) {
      this.queue = null;
      this.done = null;
      return;
    }
    this.queue = new ArrayBlockingQueue<>(capacity + consumers);
    CompletableFuture<?>[] drains = new CompletableFuture<?>[consumers];
    for (int i = 0; i < consumers; i++) {
      drains[i] = CompletableFuture.runAsync(this::drain, executor);
    }
    this.done = CompletableFuture.allOf(drains);
  }

  /** Hands a batch over, waiting while the queue is full. */
  public void put(T batch) throws IOException {
    if (queue == null) {
      try {
        consumer.accept(batch);
      } catch (Exception e) {
        throw rethrown(e);
      }
      return;
    }
    try {
      while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        if (failed || done.isDone()) {
          finish(); // throws the consumer's failure
          throw new IOException("the consumer ended early");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing over a batch");
    }
  }

  /** Something that feeds items, one at a time, to a sink: a read of records, say. */
  @FunctionalInterface
  public interface Source<E> {
    void feed(Sink<E> sink) throws IOException;
  }

  /** Takes one item of a {@link Source}. */
  @FunctionalInterface
  public interface Sink<E> {
    void accept(E item) throws IOException;
  }

  /**
   * Hands what the source feeds over in batches of {@code batchSize} items, the last one short, and
   * waits until every batch has been consumed. When the source fails, the consumer still finishes
   * (its own failure added as suppressed) before the source's failure is thrown, so that no
   * consumer thread outlives the call.
   *
   * @return how many items the source fed
   */
  public static <E> long feedInBatches(Handoff<List<E>> handoff, int batchSize, Source<E> source)
      throws IOException {
    long[] items = {0};
    List<List<E>> current = new ArrayList<>(List.of(new ArrayList<>(batchSize)));
    try {
      source.feed(
          item -> {
            current.get(0).add(item);
            items[0]++;
            if (current.get(0).size() == batchSize) {
              handoff.put(current.get(0));
              current.set(0, new ArrayList<>(batchSize));
            }
          });
      handoff.put(current.get(0));
    } catch (IOException | RuntimeException e) {
      try {
        handoff.finish();
      } catch (IOException | RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    handoff.finish();
    return items[0];
  }

  /** Waits until every batch has been consumed; throws the consumer's failure, if any. */
  public void finish() throws IOException {
    if (queue == null) {
      return;
    }
    try {
      for (int i = 0; i < consumers && !failed && !done.isDone(); i++) {
        queue.put(END);
      }
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the consumer");
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    }
  }

  @SuppressWarnings("unchecked")
  private void drain() {
    try {
      // The other consumers end on the flag, not on an END put for them: a producer can refill the
      // queue between a failure's clear() and such a put, which then finds it full and is lost,
      // leaving a consumer waiting forever and finish() with it.
      while (!failed) {
        Object batch = queue.poll(100, TimeUnit.MILLISECONDS);
        if (batch == END) {
          return;
        }
        if (batch != null) {
          consumer.accept((T) batch);
        }
      }
    } catch (Exception e) {
      failed = true;
      queue.clear(); // unblocks a producer waiting to put
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new Failure(e);
    }
  }

  /** The consumer's failure as the caller gets it: I/O and runtime failures as they were. */
  private static IOException rethrown(Throwable thrown) {
    Throwable cause = thrown instanceof Failure ? thrown.getCause() : thrown;
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return cause instanceof IOException io ? io : new IOException(cause);
  }

  /** Carries the consumer's failure out of its thread. */
  private static final class Failure extends RuntimeException {
    Failure(Exception cause) {
      super(cause);
    }
  }
}
