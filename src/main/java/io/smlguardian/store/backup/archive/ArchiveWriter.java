package io.smlguardian.store.backup.archive;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.streaming.Handoff;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.crypto.SecretKey;

/**
 * Writes one archive: a zip file of one entry per collection (its records as JSON lines, gzip
 * compressed, then encrypted, as configured), then {@code manifest.json} and, last, its MAC ({@code
 * manifest.hmac}, see {@link ArchiveMac}).
 *
 * <p>Entries are stored, not deflated again: each is first written to a temporary file beside the
 * archive (so its size, CRC and checksums are known when its zip header is written), then copied
 * into the archive. So an entry's bytes lie in the archive exactly as hashed, at an offset the
 * manifest records, and any zip tool lists and extracts them. Memory stays bounded by the buffers
 * (and one encryption segment), whatever the number of records.
 */
public final class ArchiveWriter implements Closeable {

  /** Block size of the per-block hashes (where a damaged byte is reported). */
  public static final int BLOCK_BYTES = 1 << 20;

  private static final int BUFFER = 1 << 16;

  /** Records handed from the reading thread to the encoding one at a time. */
  private static final int BATCH = 1000;

  private final Path file;
  private final BackupId id;
  private final Instant created;
  private final String backend;
  private final String schemaVersion;
  private final boolean compress;
  private final SecretKey key;
  private final int segmentBytes;
  private final int blockBytes;
  private final Executor executor;
  private final ArchiveMac mac;
  private final Counting counting;
  private final ZipOutputStream zip;
  private final List<Manifest.Entry> entries = new ArrayList<>();

  /**
   * @param file where to write (a partial file, moved into place by the caller once complete)
   * @param key the key to encrypt with, or null
   * @param segmentBytes plaintext bytes per encryption segment
   * @param blockBytes bytes per hashed block ({@link #BLOCK_BYTES}; smaller in tests)
   * @param executor where records are encoded while the next are read (the container's managed
   *     executor), or null to encode them in the calling thread
   * @param mac this server's archive key, which authenticates the manifest
   */
  public ArchiveWriter(
      Path file,
      BackupId id,
      String backend,
      String schemaVersion,
      boolean compress,
      SecretKey key,
      int segmentBytes,
      int blockBytes,
      Executor executor,
      ArchiveMac mac)
      throws IOException {
    this.file = file;
    this.id = id;
    this.created = id.created();
    this.backend = backend;
    this.schemaVersion = schemaVersion;
    this.compress = compress;
    this.key = key;
    this.segmentBytes = segmentBytes;
    this.blockBytes = blockBytes;
    this.executor = executor;
    this.mac = mac;
    this.counting = new Counting(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
    this.zip = new ZipOutputStream(counting);
  }

  /** The entry name of a collection's records. */
  static String entryName(String collection, boolean compressed, boolean encrypted) {
    return collection + ".jsonl" + (compressed ? ".gz" : "") + (encrypted ? ".enc" : "");
  }

  /**
   * Writes every record of the collection that the snapshot reads.
   *
   * @param stopping asked between records; true ends the backup with a {@link
   *     ArchiveStoppedException}
   */
  public <E extends StoredRecord> void write(
      CollectionDescriptor<E> collection, RecordSnapshot snapshot, BooleanSupplier stopping)
      throws IOException {
    String name = entryName(collection.name(), compress, key != null);
    Path temporary = Files.createTempFile(file.getParent(), ".entry-", ".tmp");
    try {
      BlockDigest stored = new BlockDigest(blockBytes);
      MessageDigest content = BlockDigest.newSha256();
      long records;
      long contentBytes;
      long longestLine;
      try (Hashing storedOut =
              new Hashing(
                  new BufferedOutputStream(Files.newOutputStream(temporary), BUFFER), stored);
          OutputStream encrypted =
              key == null
                  ? storedOut
                  : SegmentedEncryption.encrypting(storedOut, key, context(name), segmentBytes);
          OutputStream compressed = compress ? new FastGzip(encrypted) : encrypted;
          Hashing contentOut = new Hashing(compressed, content);
          Writer lines =
              new BufferedWriter(
                  new OutputStreamWriter(contentOut, StandardCharsets.UTF_8), BUFFER)) {
        // This thread reads; another encodes, compresses and hashes the batch before.
        Handoff<List<E>> encoder =
            new Handoff<>(
                executor,
                4,
                1, // one writer: lines go out in order
                batch -> {
                  for (E record : batch) {
                    RecordLines.write(collection, record, lines);
                  }
                });
        records =
            Handoff.feedInBatches(
                encoder,
                BATCH,
                sink ->
                    snapshot.read(
                        collection,
                        record -> {
                          if (stopping.getAsBoolean()) {
                            throw new ArchiveStoppedException();
                          }
                          sink.accept(record);
                        }));
        lines.flush();
        contentBytes = contentOut.count;
        longestLine = contentOut.longestLine;
      }
      stored.finish();
      long offset = copyStored(name, temporary, stored);
      entries.add(
          new Manifest.Entry(
              name,
              collection.name(),
              records,
              stored.length(),
              stored.sha256(),
              List.copyOf(stored.blocks()),
              offset,
              contentBytes,
              HexFormat.of().formatHex(content.digest()),
              longestLine,
              RecordLines.fields(collection)));
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Writes the manifest and completes the archive; returns its manifest. */
  public Manifest finish() throws IOException {
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            id.value(),
            created,
            backend,
            schemaVersion,
            compress,
            key == null
                ? null
                : new Manifest.Encryption(
                    SegmentedEncryption.ALGORITHM, segmentBytes, SegmentedEncryption.keyCheck(key)),
            blockBytes,
            List.copyOf(entries));
    byte[] manifestBytes = manifest.toBytes();
    zip.putNextEntry(new ZipEntry(Manifest.FILE));
    zip.write(manifestBytes);
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry(ArchiveMac.FILE));
    zip.write(mac.seal(id, manifestBytes));
    zip.closeEntry();
    zip.close();
    return manifest;
  }

  @Override
  public void close() throws IOException {
    zip.close(); // idempotent; after a failure it ends the file, which the caller then deletes
  }

  /**
   * What binds an encrypted entry's segments to their place: the entry (so one collection's
   * segments cannot pass for another's). Not the backup id: the authenticated manifest binds each
   * entry to it (by the entry's SHA-256), for plain and encrypted archives alike, and the segment
   * format stays as frozen by its test vectors.
   */
  static String context(String entryName) {
    return "guardian-store-backup/" + entryName;
  }

  /** Copies a finished entry into the zip, stored; returns where its bytes start in the file. */
  private long copyStored(String name, Path temporary, BlockDigest stored) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(stored.length());
    entry.setCompressedSize(stored.length());
    entry.setCrc(stored.crc());
    zip.putNextEntry(entry);
    long offset = counting.count; // ZipOutputStream has written the entry's header through it
    try (InputStream in = Files.newInputStream(temporary)) {
      in.transferTo(zip);
    }
    zip.closeEntry();
    return offset;
  }

  /** Counts what passes through. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      count += length;
    }
  }

  /** Counts and hashes what passes through; of content, measures the longest line too. */
  private static final class Hashing extends FilterOutputStream {
    private final BlockDigest blocks;
    private final MessageDigest digest;
    long count;
    long longestLine;
    private long line;

    Hashing(OutputStream out, BlockDigest blocks) {
      super(out);
      this.blocks = blocks;
      this.digest = null;
    }

    Hashing(OutputStream out, MessageDigest digest) {
      super(out);
      this.blocks = null;
      this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (blocks != null) {
        blocks.update(bytes, offset, length);
      } else {
        digest.update(bytes, offset, length);
        for (int i = offset; i < offset + length; i++) {
          if (bytes[i] == '\n') {
            longestLine = Math.max(longestLine, line);
            line = 0;
          } else {
            line++;
          }
        }
      }
      count += length;
      out.write(bytes, offset, length);
    }
  }

  /**
   * Gzip at the fastest level: JSON lines repeat their field names on every line, which even the
   * fastest level removes, and the backup's time goes mostly into compression otherwise.
   */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, BUFFER);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
