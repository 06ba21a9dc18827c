package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJournalTest {

  private static final long MB = 1024 * 1024;

  @TempDir Path root;

  @Test
  void unflushedEntriesAreReplayedAfterReopeningAndFlushedOnesAreNot() throws IOException {
    Path dir = root.resolve("journal");
    List<JournalEntry> written;
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      written = journal.append(drafts(5, "user-a"));
      assertThat(written).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
      journal.flushed(3);
    }
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      assertThat(journal.flushedUpTo()).isEqualTo(3);
      List<JournalEntry> replayed = journal.unflushed(100);
      assertThat(replayed).containsExactlyElementsOf(written.subList(3, 5));
      assertThat(journal.append(drafts(1, "user-b")).get(0).sequence()).isEqualTo(6);
      assertThat(journal.stats().pendingRecords()).isEqualTo(3);
      assertThat(journal.stats().records()).isEqualTo(6);
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
    }
  }

  /**
   * A batch holds all of a request's records or none, past its limit if need be (a request's audit
   * entry names the owners of all its records); a flush that has written entries it has not
   * checkpointed yet takes the next batch after them.
   */
  @Test
  void aBatchHoldsWholeRequestsAndGoesOnAfterWhatWasWritten() throws IOException {
    try (IngestJournal journal = IngestJournal.open(root.resolve("journal"), MB, MB)) {
      List<JournalEntry> first = journal.append(request(3));
      List<JournalEntry> second = journal.append(request(4));
      List<JournalEntry> third = journal.append(request(2));

      List<JournalEntry> batch = journal.unflushed(2);
      assertThat(batch).containsExactlyElementsOf(first); // the limit, then the rest of its request
      List<JournalEntry> next = journal.unflushed(4, batch.get(batch.size() - 1).sequence());
      assertThat(next).containsExactlyElementsOf(second);
      assertThat(journal.unflushed(5, next.get(next.size() - 1).sequence()))
          .containsExactlyElementsOf(third);
      assertThat(journal.unflushed(100)).hasSize(9); // nothing forgotten before a checkpoint
    }
  }

  /** Checkpoints forget the entries they cover, and the next batches come after them, in order. */
  @Test
  void batchesAfterCheckpointsStartWhereTheyShould() throws IOException {
    try (IngestJournal journal = IngestJournal.open(root.resolve("journal"), MB, MB)) {
      List<JournalEntry> written = new ArrayList<>(journal.append(drafts(10, "user-a")));

      journal.flushed(4);
      assertThat(journal.unflushed(100)).containsExactlyElementsOf(written.subList(4, 10));
      assertThat(journal.unflushed(3, 6)).containsExactlyElementsOf(written.subList(6, 9));
      assertThat(journal.unflushed(3, 2)).containsExactlyElementsOf(written.subList(4, 7));
      assertThat(journal.unflushed(3, 10)).isEmpty();

      journal.flushed(9);
      written.addAll(journal.append(drafts(3, "user-b")));
      assertThat(journal.unflushed(100)).containsExactlyElementsOf(written.subList(9, 13));
      assertThat(journal.unflushed(2, 10)).containsExactlyElementsOf(written.subList(10, 12));
      assertThat(journal.stats().pendingRecords()).isEqualTo(4);

      journal.flushed(13);
      assertThat(journal.unflushed(100)).isEmpty();
      assertThat(journal.stats().pendingRecords()).isZero();
    }
  }

  /** One request's drafts: records of several users, one origin. */
  private static List<JournalEntry.Draft> request(int n) {
    JournalEntry.Origin origin = new JournalEntry.Origin(UUID.randomUUID(), "it", "127.0.0.1");
    List<JournalEntry.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      drafts.add(
          new JournalEntry.Draft("memories", UUID.randomUUID(), "user-" + i, record(i), origin));
    }
    return drafts;
  }

  @Test
  void aTornLastEntryIsCutAndTheEntriesBeforeItRemain() throws IOException {
    Path dir = root.resolve("journal");
    List<JournalEntry> written;
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      written = journal.append(drafts(3, "user-a"));
    }
    Path segment = onlySegment(dir);
    long whole = Files.size(segment);
    // the first 30 bytes of a fourth entry: a crash in the middle of its write
    byte[] fourth =
        IngestJournal.frame(
            new JournalEntry(
                4,
                "memories",
                UUID.randomUUID(),
                "user-a",
                java.time.Instant.now(),
                record(4),
                ORIGIN));
    append(segment, java.util.Arrays.copyOf(fourth, 30));

    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      assertThat(journal.unflushed(100)).containsExactlyElementsOf(written);
      assertThat(Files.size(segment)).isEqualTo(whole);
      assertThat(journal.append(drafts(1, "user-a")).get(0).sequence()).isEqualTo(4);
    }
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      assertThat(journal.unflushed(100)).hasSize(4);
    }
  }

  @Test
  void aLastEntryFailingItsChecksumIsCut() throws IOException {
    Path dir = root.resolve("journal");
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      journal.append(drafts(2, "user-a"));
    }
    Path segment = onlySegment(dir);
    long size = Files.size(segment);
    try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap(new byte[] {'X'}), size - 3); // inside the second payload
    }
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      assertThat(journal.unflushed(100)).extracting(JournalEntry::sequence).containsExactly(1L);
    }
  }

  @Test
  void aDamagedSegmentBeforeTheLastIsRefusedNotCut() throws IOException {
    Path dir = root.resolve("journal");
    try (IngestJournal journal = IngestJournal.open(dir, 1, MB)) { // a new segment per force
      journal.append(drafts(1, "user-a"));
      journal.append(drafts(1, "user-a"));
    }
    Path first;
    try (Stream<Path> files = Files.list(dir)) {
      first = files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
    }
    append(first, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> IngestJournal.open(dir, 1, MB))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void concurrentAppendsShareForces() throws Exception {
    Path dir = root.resolve("journal");
    int threads = 16;
    int appendsEach = 40;
    Set<Long> sequences = ConcurrentHashMap.newKeySet();
    try (IngestJournal journal = IngestJournal.open(dir, 64 * MB, 64 * MB)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String user = "user-" + t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < appendsEach; i++) {
                    journal.append(drafts(1, user)).forEach(e -> sequences.add(e.sequence()));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      IngestJournal.Stats stats = journal.stats();
      int appends = threads * appendsEach;
      assertThat(sequences).hasSize(appends);
      assertThat(stats.records()).isEqualTo(appends);
      assertThat(stats.forces()).isPositive().isLessThan(appends);
      System.out.printf(
          "%d appends from %d threads, %d forces%n", appends, threads, stats.forces());
      // every acknowledged entry is durable, in order per user
      List<JournalEntry> all = journal.unflushed(appends);
      assertThat(all).extracting(JournalEntry::sequence).isSorted().hasSize(appends);
    }
    try (IngestJournal journal = IngestJournal.open(dir, 64 * MB, 64 * MB)) {
      assertThat(journal.unflushed(10_000)).hasSize(threads * appendsEach);
    }
  }

  @Test
  void flushedSegmentsAreDeletedButNotTheCurrentOne() throws IOException {
    Path dir = root.resolve("journal");
    try (IngestJournal journal = IngestJournal.open(dir, 200, MB)) {
      for (int i = 0; i < 10; i++) {
        journal.append(drafts(1, "user-a"));
      }
      assertThat(segments(dir)).hasSizeGreaterThan(2);
      journal.flushed(10);
      assertThat(segments(dir)).hasSize(1);
      assertThat(journal.stats().pendingRecords()).isZero();
    }
    try (IngestJournal journal = IngestJournal.open(dir, 200, MB)) {
      assertThat(journal.unflushed(100)).isEmpty();
      assertThat(journal.append(drafts(1, "user-a")).get(0).sequence()).isEqualTo(11);
    }
  }

  @Test
  void beyondItsLimitTheJournalRefusesAWholeAppend() throws IOException {
    Path dir = root.resolve("journal");
    try (IngestJournal journal = IngestJournal.open(dir, MB, 1000)) {
      journal.append(drafts(2, "user-a"));
      long bytes = journal.stats().bytes();
      assertThatThrownBy(() -> journal.append(drafts(20, "user-a")))
          .isInstanceOf(JournalFullException.class);
      assertThat(journal.stats().bytes()).isEqualTo(bytes);
      assertThat(journal.stats().pendingRecords()).isEqualTo(2);
      journal.flushed(2);
      assertThat(journal.append(drafts(2, "user-a"))).hasSize(2);
    }
  }

  private static final JournalEntry.Origin ORIGIN =
      new JournalEntry.Origin(UUID.randomUUID(), "it-service", "192.0.2.7");

  @Test
  void pendingRecordsAreFoundByIdUntilFlushedAndAfterAReopen() throws IOException {
    Path dir = root.resolve("journal");
    List<JournalEntry> written;
    JournalEntry retried;
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      written = journal.append(drafts(3, "user-a"));
      assertThat(journal.pending(written.get(1).id())).contains(written.get(1));
      journal.flushed(written.get(0).sequence());
      assertThat(journal.pending(written.get(0).id())).isEmpty();
      // a retry of the third record under its id: the later entry is found once the first is gone
      JournalEntry.Draft again =
          new JournalEntry.Draft(
              "memories", written.get(2).id(), "user-a", record(9), written.get(2).origin());
      retried = journal.append(List.of(again)).get(0);
      journal.flushed(written.get(2).sequence());
      assertThat(journal.pending(written.get(2).id())).contains(retried);
      assertThat(journal.pending(written.get(1).id())).isEmpty();
    }
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) { // replayed: found again
      assertThat(journal.pending(retried.id())).contains(retried);
      assertThat(retried.origin()).isEqualTo(ORIGIN);
      assertThat(journal.pending(written.get(0).id())).isEmpty();
    }
  }

  /**
   * The payload is written field by field: every part of an entry reads back as it was, absent
   * parts included, and so do values a writer must escape; a dead letter's object form is the same
   * payload.
   */
  @Test
  void anEntryReadsBackAsWrittenWhateverItHolds() throws IOException {
    Path dir = root.resolve("journal");
    jakarta.json.JsonObject awkward =
        Json.createObjectBuilder()
            .add("content", "quote \" backslash \\ newline \n tab \t \u0001 é 漢 😀")
            .add("nested", Json.createArrayBuilder().add(1).add(JsonValue.NULL).add(true))
            .add("strength", 0.125)
            .addNull("missing")
            .build();
    List<JournalEntry.Draft> drafts =
        List.of(
            new JournalEntry.Draft(
                "metrics", UUID.randomUUID(), null, StoredForm.of(awkward), null),
            new JournalEntry.Draft(
                "memories",
                UUID.randomUUID(),
                "user-ü",
                StoredForm.of(awkward),
                new JournalEntry.Origin(UUID.randomUUID(), null, null)),
            new JournalEntry.Draft("memories", UUID.randomUUID(), "user-a", record(1), ORIGIN));
    List<JournalEntry> written;
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      written = journal.append(drafts);
    }
    try (IngestJournal journal = IngestJournal.open(dir, MB, MB)) {
      assertThat(journal.unflushed(100)).containsExactlyElementsOf(written);
    }
    for (JournalEntry entry : written) {
      assertThat(IngestJournal.fromJson(IngestJournal.toJson(entry))).isEqualTo(entry);
      assertThat(IngestJournal.toJson(entry).containsKey("owner")).isEqualTo(entry.owner() != null);
    }
  }

  private static List<JournalEntry.Draft> drafts(int n, String user) {
    List<JournalEntry.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // every other entry without an origin, as entries of journals written before it existed
      JournalEntry.Origin origin = i % 2 == 0 ? ORIGIN : null;
      drafts.add(new JournalEntry.Draft("memories", UUID.randomUUID(), user, record(i), origin));
    }
    return drafts;
  }

  private static StoredForm record(int i) {
    return StoredForm.of(
        Json.createObjectBuilder().add("content", "record " + i).add("strength", 0.5).build());
  }

  private static Path onlySegment(Path dir) throws IOException {
    List<Path> segments = segments(dir);
    assertThat(segments).hasSize(1);
    return segments.get(0);
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
