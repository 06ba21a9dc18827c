package io.smlguardian.store.sync;

import io.smlguardian.store.collection.IsoInstants;
import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.RecordJson;
import io.smlguardian.store.collection.TextWriter;
import io.smlguardian.store.files.PrivateFiles;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbTransient;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The ingest journal: append-only segment files in one private directory (0700, files 0600), and a
 * checkpoint saying up to which entry the store already holds the records.
 *
 * <p>An entry is a frame: its length (4 bytes), the CRC-32C of its payload (4 bytes), and the
 * payload, the entry as UTF-8 JSON. A crash can leave the last frame of the last segment partly
 * written; opening the journal cuts the file before the first frame that is short or fails its
 * checksum, so that what remains is exactly the entries written whole. Such a frame was never
 * acknowledged: {@link #append} returns only once its entries are forced to disk.
 *
 * <p>Group commit: an appender writes its frames under the write lock, then waits until a force
 * covers them. One waiting appender at a time forces the file and thereby makes durable every frame
 * written before it started; the others wait for it, and whoever still needs a force after it leads
 * the next. Concurrent requests so share one {@code force}.
 *
 * <p>Entries not yet flushed are also kept in memory, in journal order, for the flusher ({@link
 * #unflushed}); their bytes are bounded by the journal's limit ({@link JournalFullException}).
 * Segments whose entries are all flushed are deleted once a newer segment exists.
 */
public final class IngestJournal implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(IngestJournal.class.getName());
  private static final String CHECKPOINT = "checkpoint";
  private static final String PREFIX = "journal-";
  private static final String SUFFIX = ".log";
  private static final int HEADER = 8;

  /** No entry is larger: a longer length field is a torn or damaged frame. */
  static final int MAX_ENTRY_BYTES = 16 * 1024 * 1024;

  private final Path directory;
  private final long segmentBytes;
  private final long maxPendingBytes;

  private final Object writeLock = new Object();
  // guarded by writeLock
  private final TreeMap<Long, Segment> segments = new TreeMap<>();

  /**
   * The unflushed entries, oldest first, from {@code head} on: a list whose flushed front is cut
   * off in bulk, so that a flush finds its next batch by a binary search of the sequences instead
   * of walking past every entry written but not yet checkpointed (six percent of the flusher's
   * samples in a profile of the ingest benchmark, under the lock every append takes).
   */
  private final List<Pending> pending = new ArrayList<>();

  private int head;
  private final Map<UUID, JournalEntry> pendingById = new HashMap<>();
  private FileChannel channel;
  private long nextSequence;
  private long pendingBytes;
  private long flushedUpTo;
  private boolean closed;

  /**
   * Set when a write could not be undone or a force failed: what the file holds is then unknown
   * (after a failed fsync the kernel may have dropped the pages), so nothing more is acknowledged.
   */
  private boolean broken;

  /** Taken by {@link #flushed} alone: one checkpoint is written at a time. */
  private final Object checkpointLock = new Object();

  private final Object syncLock = new Object();
  // guarded by syncLock
  private long durableUpTo;
  private boolean forcing;
  private long forces;

  private record Segment(Path file, long bytes, long entries) {
    Segment plus(long moreBytes, long moreEntries) {
      return new Segment(file, bytes + moreBytes, entries + moreEntries);
    }
  }

  private record Pending(JournalEntry entry, int bytes) {}

  /** What the journal holds, for the sync status. */
  @JsonbPropertyOrder({"bytes", "records", "pendingBytes", "forces"}) // the sync status's journal
  public record Stats(
      long bytes,
      long records,
      @JsonbTransient long pendingRecords,
      long pendingBytes,
      long forces,
      @JsonbTransient long lastDurable) {}

  private IngestJournal(Path directory, long segmentBytes, long maxPendingBytes) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.maxPendingBytes = maxPendingBytes;
  }

  /**
   * Opens the journal in the directory (created 0700 if missing): reads the checkpoint, reads every
   * segment, cuts a torn tail off the last one, and keeps the entries after the checkpoint as
   * unflushed.
   *
   * @param segmentBytes the size beyond which a new segment is started
   * @param maxPendingBytes the most bytes of unflushed entries it holds (see {@link #append})
   * @throws IllegalStateException when a segment other than the last is damaged: that is not what a
   *     crash leaves, and the journal does not guess
   */
  public static IngestJournal open(Path directory, long segmentBytes, long maxPendingBytes)
      throws IOException {
    IngestJournal journal = new IngestJournal(directory, segmentBytes, maxPendingBytes);
    journal.load();
    return journal;
  }

  private void load() throws IOException {
    PrivateFiles.createDirectories(directory);
    PrivateFiles.removeTemporaryFiles(directory, CHECKPOINT + ".tmp");
    Path checkpoint = directory.resolve(CHECKPOINT);
    flushedUpTo =
        Files.exists(checkpoint) ? Long.parseLong(Files.readString(checkpoint).trim()) : 0;
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files =
          list.filter(p -> p.getFileName().toString().startsWith(PREFIX))
              .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
              .sorted()
              .toList();
    }
    long last = flushedUpTo;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      boolean lastFile = i == files.size() - 1;
      long[] counts = readSegment(file, lastFile);
      segments.put(firstSequenceOf(file), new Segment(file, counts[0], counts[1]));
      last = Math.max(last, counts[2]);
    }
    nextSequence = last + 1;
    durableUpTo = last;
    if (segments.isEmpty()) {
      startSegment();
    } else {
      channel = FileChannel.open(segments.lastEntry().getValue().file(), StandardOpenOption.APPEND);
    }
  }

  /** Reads a segment's frames; returns its valid bytes, its entries and its last sequence. */
  private long[] readSegment(Path file, boolean lastFile) throws IOException {
    ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file));
    long entries = 0;
    long lastSequence = 0;
    while (content.hasRemaining()) {
      int start = content.position();
      JournalEntry entry = readFrame(content);
      if (entry == null) {
        if (!lastFile) {
          throw new IllegalStateException(
              "The ingest journal's segment " + file + " is damaged at byte " + start + ".");
        }
        LOG.warning(
            "The ingest journal's last segment "
                + file.getFileName()
                + " ends in a torn entry at byte "
                + start
                + " (of "
                + content.capacity()
                + "): cut there; the torn entry was never acknowledged.");
        try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
          cut.truncate(start);
          cut.force(true);
        }
        return new long[] {start, entries, lastSequence};
      }
      entries++;
      lastSequence = entry.sequence();
      if (entry.sequence() > flushedUpTo) {
        int bytes = content.position() - start;
        pending.add(new Pending(entry, bytes));
        pendingById.put(entry.id(), entry);
        pendingBytes += bytes;
      }
    }
    return new long[] {content.capacity(), entries, lastSequence};
  }

  /** The next frame's entry, or null (position unchanged) when it is torn or damaged. */
  private static JournalEntry readFrame(ByteBuffer content) {
    int start = content.position();
    if (content.remaining() < HEADER) {
      return null;
    }
    int length = content.getInt();
    int checksum = content.getInt();
    if (length <= 0 || length > MAX_ENTRY_BYTES || content.remaining() < length) {
      content.position(start);
      return null;
    }
    byte[] payload = new byte[length];
    content.get(payload);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    if ((int) crc.getValue() != checksum) {
      content.position(start);
      return null;
    }
    try {
      return fromJson(new String(payload, StandardCharsets.UTF_8));
    } catch (JsonException | IllegalArgumentException | ClassCastException e) {
      content.position(start); // a frame whose checksum holds but whose content does not
      return null;
    }
  }

  /**
   * Appends the entries and returns them, with their sequences, once they are on disk. Either all
   * are appended or, when they would take the unflushed entries beyond the journal's limit, none.
   *
   * @throws JournalFullException when the unflushed entries would exceed the limit
   * @throws UncheckedIOException when the journal cannot be written or forced
   */
  public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
    List<JournalEntry> entries = new ArrayList<>(drafts.size());
    // The records' text, the larger part of each frame, is made here, outside the lock that every
    // request's append takes in turn.
    drafts.forEach(draft -> draft.record().text());
    long last;
    try {
      synchronized (writeLock) {
        if (closed || broken) {
          throw new IOException(
              closed ? "the ingest journal is closed" : "the ingest journal failed earlier");
        }
        Instant now = Instant.now();
        List<byte[]> frames = new ArrayList<>(drafts.size());
        long bytes = 0;
        long sequence = nextSequence;
        for (JournalEntry.Draft draft : drafts) {
          JournalEntry entry =
              new JournalEntry(
                  sequence++,
                  draft.collection(),
                  draft.id(),
                  draft.owner(),
                  now,
                  draft.record(),
                  draft.origin());
          byte[] frame = frame(entry);
          entries.add(entry);
          frames.add(frame);
          bytes += frame.length;
        }
        if (pendingBytes + bytes > maxPendingBytes) {
          throw new JournalFullException(pendingBytes, maxPendingBytes);
        }
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(bytes));
        frames.forEach(all::put);
        all.flip();
        long before = channel.size();
        try {
          while (all.hasRemaining()) {
            channel.write(all);
          }
        } catch (IOException e) {
          // A partial frame followed by later ones would look like a torn tail and take them along
          // at the next start: cut it now, or stop appending.
          try {
            channel.truncate(before);
          } catch (IOException cut) {
            broken = true;
          }
          throw e;
        }
        nextSequence = sequence;
        Map.Entry<Long, Segment> current = segments.lastEntry();
        segments.put(current.getKey(), current.getValue().plus(bytes, entries.size()));
        for (int i = 0; i < entries.size(); i++) {
          pending.add(new Pending(entries.get(i), frames.get(i).length));
          pendingById.put(entries.get(i).id(), entries.get(i));
        }
        pendingBytes += bytes;
        last = sequence - 1;
      }
      awaitDurable(last);
    } catch (IOException e) {
      throw new UncheckedIOException("The ingest journal cannot be written: " + e.getMessage(), e);
    }
    return entries;
  }

  /** Returns once a force covers the entry of this sequence; leads a force when none is running. */
  private void awaitDurable(long sequence) throws IOException {
    while (true) {
      synchronized (syncLock) {
        while (durableUpTo < sequence && forcing) {
          try {
            syncLock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the journal's sync", e);
          }
        }
        if (durableUpTo >= sequence) {
          return;
        }
        forcing = true;
      }
      long covered = forceWritten();
      synchronized (syncLock) {
        forcing = false;
        if (covered > 0) {
          durableUpTo = Math.max(durableUpTo, covered);
          forces++;
        }
        syncLock.notifyAll();
      }
      if (covered < 0) {
        throw new IOException("the ingest journal could not be forced to disk");
      }
    }
  }

  /**
   * Forces what was written so far (the leader of a group commit, alone at a time); starts a new
   * segment when the current one is full. Returns the last sequence now durable, or -1 on failure.
   */
  private long forceWritten() {
    try {
      long covered;
      FileChannel written;
      synchronized (writeLock) {
        covered = nextSequence - 1;
        written = channel;
      }
      written.force(false);
      synchronized (writeLock) {
        if (channel.size() >= segmentBytes) {
          channel.force(false);
          covered = nextSequence - 1;
          channel.close();
          startSegment();
        }
      }
      return covered;
    } catch (IOException e) {
      LOG.severe("The ingest journal could not be forced to disk: " + e);
      synchronized (writeLock) {
        broken = true;
      }
      return -1;
    }
  }

  private void startSegment() throws IOException {
    Path file = directory.resolve(String.format("%s%020d%s", PREFIX, nextSequence, SUFFIX));
    channel = PrivateFiles.openForAppend(file);
    segments.put(nextSequence, new Segment(file, 0, 0));
    forceDirectory();
  }

  /**
   * The oldest unflushed entries that are on disk, in journal order: a user's records come out in
   * the order they were acknowledged. At most {@code limit}, but for the rest of the last request's
   * records: a batch holds all of a request's records or none, so the audit entry of a request's
   * ingest names the same owners however the journal is cut into batches (a request's records are
   * appended together and made durable together).
   */
  public List<JournalEntry> unflushed(int limit) {
    return unflushed(limit, 0);
  }

  /**
   * As {@link #unflushed(int)}, from the first entry after {@code after}: a flush that has written
   * entries it has not checkpointed yet goes on past them.
   */
  public List<JournalEntry> unflushed(int limit, long after) {
    long durable;
    synchronized (syncLock) {
      durable = durableUpTo;
    }
    List<JournalEntry> batch = new ArrayList<>();
    synchronized (writeLock) {
      for (int i = firstAfter(after); i < pending.size(); i++) {
        Pending p = pending.get(i);
        if (p.entry().sequence() > durable
            || (batch.size() >= limit && !sameRequest(batch.get(batch.size() - 1), p.entry()))) {
          break;
        }
        batch.add(p.entry());
      }
    }
    return batch;
  }

  /** The position of the first unflushed entry after this sequence (the end when none is). */
  private int firstAfter(long sequence) {
    int low = head;
    int high = pending.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (pending.get(middle).entry().sequence() <= sequence) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Whether two entries came in one request (a request's entries are appended together). */
  private static boolean sameRequest(JournalEntry one, JournalEntry other) {
    return one.origin() != null
        && other.origin() != null
        && one.origin().request().equals(other.origin().request());
  }

  /**
   * Records that the store holds every entry up to this sequence: writes the checkpoint (a new
   * file, forced, then moved over the old one), forgets those entries, and deletes segments that
   * hold only flushed entries (never the current one). The checkpoint's file is written and forced
   * outside the lock that appends take: its two forces would otherwise hold every acknowledgment
   * for their time, at every flush.
   */
  public void flushed(long sequence) throws IOException {
    synchronized (checkpointLock) {
      synchronized (writeLock) {
        if (sequence <= flushedUpTo) {
          return;
        }
      }
      Path temporary = directory.resolve(CHECKPOINT + ".tmp");
      try (FileChannel file =
          FileChannel.open(
              temporary,
              java.util.Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING),
              PrivateFiles.fileAttributes())) {
        file.write(ByteBuffer.wrap(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII)));
        file.force(true);
      }
      Files.move(
          temporary,
          directory.resolve(CHECKPOINT),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
      List<Path> done = new ArrayList<>();
      synchronized (writeLock) {
        flushedUpTo = sequence;
        while (head < pending.size() && pending.get(head).entry().sequence() <= sequence) {
          Pending flushed = pending.set(head++, null);
          pendingBytes -= flushed.bytes();
          pendingById.remove(flushed.entry().id(), flushed.entry()); // unless a later one has it
        }
        if (head > pending.size() / 2) {
          pending.subList(0, head).clear();
          head = 0;
        }
        // A segment is done when the next one starts after the checkpoint's entry.
        while (segments.size() > 1) {
          Map.Entry<Long, Segment> oldest = segments.firstEntry();
          long nextFirst = segments.higherKey(oldest.getKey());
          if (nextFirst - 1 > sequence) {
            break;
          }
          done.add(oldest.getValue().file());
          segments.pollFirstEntry();
        }
      }
      for (Path file : done) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * The latest entry not yet flushed that carries this record id, if any: a record acknowledged and
   * not yet in the store.
   */
  public Optional<JournalEntry> pending(UUID id) {
    synchronized (writeLock) {
      return Optional.ofNullable(pendingById.get(id));
    }
  }

  /** Up to which sequence the store holds the entries (0: none yet). */
  public long flushedUpTo() {
    synchronized (writeLock) {
      return flushedUpTo;
    }
  }

  public Stats stats() {
    long forced;
    long durable;
    synchronized (syncLock) {
      forced = forces;
      durable = durableUpTo;
    }
    synchronized (writeLock) {
      long bytes = 0;
      long records = 0;
      for (Segment segment : segments.values()) {
        bytes += segment.bytes();
        records += segment.entries();
      }
      return new Stats(bytes, records, pending.size() - head, pendingBytes, forced, durable);
    }
  }

  /** The file system's own record of new and renamed files, forced too (where it can be). */
  private void forceDirectory() {
    forceDirectory(directory);
  }

  /** Makes the directory's entries (a file created, renamed or deleted) durable. */
  static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory: their file systems need no such force.
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      closed = true;
      channel.close();
    }
  }

  private static long firstSequenceOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  static byte[] frame(JournalEntry entry) {
    byte[] payload = payload(entry).getBytes(StandardCharsets.UTF_8);
    if (payload.length > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException("an ingest journal entry over 16 MiB");
    }
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteBuffer.allocate(HEADER + payload.length)
        .putInt(payload.length)
        .putInt((int) crc.getValue())
        .put(payload)
        .array();
  }

  /**
   * The entry's durable form, a frame's payload: written by hand as the JSON-P provider would write
   * it (its record's text made before the append's lock, {@link StoredForm#text()}), since it is on
   * the ingest's hot path: written by a provider's generator, the payloads of a request cost a
   * fifth of its CPU. {@link #fromJson} reads it back.
   */
  static String payload(JournalEntry entry) {
    TextWriter text = new TextWriter(512);
    try {
      text.append("{\"sequence\":").append(Long.toString(entry.sequence()));
      member(text, "collection", entry.collection());
      member(text, "id", entry.id().toString());
      member(text, "time", IsoInstants.format(entry.time()));
      text.append(",\"record\":").append(entry.record().text());
      member(text, "owner", entry.owner());
      JournalEntry.Origin origin = entry.origin();
      if (origin != null) {
        member(text, "request", origin.request().toString());
        member(text, "principal", origin.principal());
        member(text, "address", origin.address());
      }
      text.append('}');
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a TextWriter does not throw
    }
    return text.toString();
  }

  /** A string member after the first, left out when null. */
  private static void member(TextWriter text, String name, String value) throws IOException {
    if (value != null) {
      text.append(",\"").append(name).append("\":");
      RecordJson.string(value, text);
    }
  }

  /** The entry's durable form as an object (a dead letter's entry): the payload, read back. */
  static JsonObject toJson(JournalEntry entry) {
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(payload(entry)))) {
      return reader.readObject();
    }
  }

  private static JournalEntry fromJson(String text) {
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(text))) {
      return fromJson(reader.readObject());
    }
  }

  /** The entry {@link #toJson} wrote. */
  static JournalEntry fromJson(JsonObject json) {
    JsonValue owner = json.get("owner");
    JournalEntry.Origin origin =
        json.containsKey("request")
            ? new JournalEntry.Origin(
                UUID.fromString(json.getString("request")),
                json.getString("principal", null),
                json.getString("address", null))
            : null;
    return new JournalEntry(
        json.getJsonNumber("sequence").longValueExact(),
        json.getString("collection"),
        UUID.fromString(json.getString("id")),
        owner == null ? null : json.getString("owner"),
        IsoInstants.parse(json.getString("time")),
        StoredForm.of(json.getJsonObject("record")),
        origin);
  }
}
