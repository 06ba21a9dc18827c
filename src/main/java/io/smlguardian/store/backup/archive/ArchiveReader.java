package io.smlguardian.store.backup.archive;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordSnapshot.RecordConsumer;
import io.smlguardian.store.collection.StoredRecord;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import javax.crypto.SecretKey;

/**
 * Reads an archive that {@link ArchiveWriter} wrote: its manifest (from the zip's central
 * directory), each entry's bytes (at the offset the manifest records, so a damaged zip header does
 * not hide them), checked against every checksum, and each entry's records.
 *
 * <p>Damage is reported with where it lies: the entry, the block of bytes whose hash fails (as
 * offsets in the entry and in the file), the encryption segment that fails authentication, or, for
 * a truncated file, the entry it ends in.
 */
public final class ArchiveReader implements Closeable {

  private static final int BUFFER = 1 << 16;

  /** Encryption header: magic and salt. */
  private static final int ENCRYPTION_HEADER = 20;

  private static final int TAG = 16;

  private final Path file;
  private final BackupId id;
  private final Manifest manifest;
  private final long size;

  private ArchiveReader(Path file, BackupId id, Manifest manifest) throws IOException {
    this.file = file;
    this.id = id;
    this.manifest = manifest;
    this.size = Files.size(file);
  }

  /**
   * Opens an archive and reads its manifest: at most {@link Manifest#MAX_MANIFEST_BYTES} of it,
   * authenticated by this server's archive key ({@link ArchiveMac}) for the id it is filed under,
   * and within every limit ({@link Manifest#checkLimits}), all before any entry is read.
   *
   * @throws DamagedArchiveException when it has no readable, authentic manifest within the limits,
   *     saying what is wrong and where
   */
  public static ArchiveReader open(Path file, BackupId id, ArchiveMac mac) throws IOException {
    long size = Files.size(file);
    Manifest manifest;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.size() > Manifest.MAX_ENTRIES + 2) {
        throw new DamagedArchiveException(
            "holds " + zip.size() + " zip entries; an archive has at most " + Manifest.MAX_ENTRIES);
      }
      byte[] manifestBytes = bounded(zip, Manifest.FILE, Manifest.MAX_MANIFEST_BYTES);
      byte[] seal = bounded(zip, ArchiveMac.FILE, 1024);
      try {
        String named = Manifest.header(manifestBytes).backupId();
        if (!id.value().equals(named)) {
          throw new DamagedArchiveException(
              "is filed as " + id.value() + ", but its manifest names backup " + named);
        }
        if (seal == null) {
          throw new DamagedArchiveException(
              "has no " + ArchiveMac.FILE + ": its manifest is not authenticated");
        }
        String forged = mac.problem(id, manifestBytes, seal);
        if (forged != null) {
          throw new DamagedArchiveException(forged);
        }
        // Only authenticated bytes are built into a manifest (a JSON reader recurses on nesting).
        manifest = Manifest.of(Manifest.parse(manifestBytes));
        manifest.checkLimits(size);
      } catch (BackupException e) {
        throw new DamagedArchiveException("has an unusable manifest: " + e.getMessage());
      }
      for (Manifest.Entry listed : manifest.entries()) {
        ZipEntry stored = zip.getEntry(listed.name());
        if (stored == null) {
          throw new DamagedArchiveException(
              "lacks entry " + listed.name() + ", which its manifest lists");
        }
        if (stored.getSize() != listed.bytes()) {
          throw new DamagedArchiveException(
              "holds entry "
                  + listed.name()
                  + " with "
                  + stored.getSize()
                  + " bytes; its manifest says "
                  + listed.bytes());
        }
      }
    } catch (ZipException e) {
      throw new DamagedArchiveException(diagnose(file, e));
    }
    return new ArchiveReader(file, id, manifest);
  }

  /**
   * The content of a small zip entry, read no further than its limit; null when there is none.
   *
   * @throws DamagedArchiveException when it is larger, or cannot be read
   */
  private static byte[] bounded(ZipFile zip, String name, int limit) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (name.equals(Manifest.FILE) && entry == null) {
      throw new DamagedArchiveException("has no " + Manifest.FILE);
    }
    if (entry == null) {
      return null;
    }
    if (entry.getSize() > limit) {
      throw new DamagedArchiveException(
          "has a " + name + " of " + entry.getSize() + " bytes; at most " + limit + " are read");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new DamagedArchiveException(
            "has a " + name + " of more than " + limit + " bytes; at most " + limit + " are read");
      }
      return bytes;
    } catch (ZipException | EOFException e) {
      throw new DamagedArchiveException("has a damaged " + name + ": " + e.getMessage());
    }
  }

  public Manifest manifest() {
    return manifest;
  }

  long size() {
    return size;
  }

  /**
   * Checks the key against the manifest: none is needed for a plain archive; an encrypted one needs
   * this server's key to be the one it was written with.
   *
   * @throws BackupException (conflict) when the key is missing or another
   */
  public SecretKey requireKey(Optional<SecretKey> key) {
    if (!manifest.encrypted()) {
      return null;
    }
    if (key.isEmpty()) {
      throw BackupException.conflict(
          "Backup "
              + id
              + " is encrypted, and this server has no BACKUP_ENCRYPTION_KEY: it can be neither"
              + " verified nor restored here. Configure the key it was written with.");
    }
    if (!SegmentedEncryption.matches(key.get(), manifest.encryption().keyCheck())) {
      throw BackupException.conflict(
          "Backup "
              + id
              + " was encrypted with another key than this server's BACKUP_ENCRYPTION_KEY: it can"
              + " be neither verified nor restored here. Configure the key it was written with.");
    }
    return key.get();
  }

  /**
   * Recomputes every checksum of every entry: the hash of each block and of the whole entry as
   * stored, then (decrypting and decompressing it) the record count and the hash of its content.
   *
   * @param key the key, as {@link #requireKey} returned it (null for a plain archive)
   * @param decode false to check the stored bytes only (an encrypted archive without its key)
   */
  public Verification verify(SecretKey key, boolean decode) {
    List<Verification.EntryCheck> checks = new ArrayList<>();
    for (Manifest.Entry entry : manifest.entries()) {
      checks.add(check(entry, key, decode));
    }
    return Verification.of(id, manifest, size, checks);
  }

  private Verification.EntryCheck check(Manifest.Entry entry, SecretKey key, boolean decode) {
    BlockCheck stored = new BlockCheck(entry, manifest.blockBytes());
    String decodeProblem = null;
    long lines = 0;
    String contentHash = null;
    long contentBytes = 0;
    try (InputStream raw = new Checked(raw(entry), stored)) {
      if (!decode) {
        raw.transferTo(OutputStream.nullOutputStream());
        String problem = stored.problem(entry, size);
        return problem == null
            ? Verification.EntryCheck.ok(entry)
            : Verification.EntryCheck.damaged(entry, problem);
      }
      // The decoder must not close the raw bytes: what it leaves unread is hashed after it.
      try (InputStream content =
          decoded(
              new FilterInputStream(raw) {
                @Override
                public void close() {}
              },
              entry,
              key)) {
        MessageDigest digest = BlockDigest.newSha256();
        byte[] buffer = new byte[BUFFER];
        long line = 0;
        reading:
        for (int n; (n = content.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          contentBytes += n;
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              lines++;
              line = 0;
            } else if (++line > entry.longestLine()) {
              decodeProblem =
                  "record "
                      + (lines + 1)
                      + " is longer than the "
                      + entry.longestLine()
                      + " bytes its manifest allows a line";
              break reading;
            }
          }
        }
        contentHash = HexFormat.of().formatHex(digest.digest());
      } catch (Overrun e) {
        decodeProblem = e.getMessage();
      } catch (SegmentedEncryption.SegmentException e) {
        decodeProblem = e.getMessage() + " (" + segmentWhere(entry, e.segment()) + ")";
      } catch (IOException e) {
        decodeProblem = (entryCompressed() ? "cannot be decompressed: " : "cannot be read: ") + e;
      }
      raw.transferTo(OutputStream.nullOutputStream()); // hash what decoding left unread
    } catch (IOException e) {
      return Verification.EntryCheck.damaged(entry, "cannot be read: " + e.getMessage());
    }
    String storedProblem = stored.problem(entry, size);
    if (storedProblem != null) {
      return Verification.EntryCheck.damaged(entry, storedProblem);
    }
    if (decodeProblem != null) {
      return Verification.EntryCheck.damaged(entry, decodeProblem);
    }
    if (lines != entry.records()) {
      return Verification.EntryCheck.damaged(
          entry, "holds " + lines + " records; the manifest says " + entry.records());
    }
    if (contentBytes != entry.contentBytes() || !entry.contentSha256().equals(contentHash)) {
      return Verification.EntryCheck.damaged(
          entry, "its records do not match their SHA-256 once decoded");
    }
    return Verification.EntryCheck.ok(entry);
  }

  /**
   * Hands every record of an entry to the consumer, checking the count and content hash at its end.
   *
   * @throws IOException when the entry cannot be decoded or does not match the manifest; records
   *     before the failure have been handed over
   */
  public <E extends StoredRecord> long readRecords(
      Manifest.Entry entry,
      CollectionDescriptor<E> collection,
      SecretKey key,
      RecordConsumer<? super E> consumer)
      throws IOException {
    MessageDigest digest = BlockDigest.newSha256();
    long count = 0;
    try (InputStream content = decoded(raw(entry), entry, key)) {
      Lines lines =
          new Lines(new DigestInputStream(content, digest), (int) entry.longestLine(), entry);
      for (String line; (line = lines.next()) != null; ) {
        count++;
        E record;
        try {
          record = RecordLines.read(collection, line);
        } catch (IllegalArgumentException e) {
          throw new IOException(entry.name() + ", record " + count + ": " + e.getMessage());
        }
        consumer.accept(record);
      }
    }
    if (count != entry.records()
        || !entry.contentSha256().equals(HexFormat.of().formatHex(digest.digest()))) {
      throw new IOException(
          entry.name() + " does not match its manifest once decoded (" + count + " records)");
    }
    return count;
  }

  /** Nothing stays open between reads; each entry's stream is closed when read. */
  @Override
  public void close() {}

  private boolean entryCompressed() {
    return manifest.compressed();
  }

  /** The entry's bytes as stored, from its offset; ends early when the file does. */
  private InputStream raw(Manifest.Entry entry) throws IOException {
    FileChannel view = FileChannel.open(file, StandardOpenOption.READ);
    view.position(entry.offset());
    InputStream in = Channels.newInputStream(view);
    return new BufferedInputStream(
        new FilterInputStream(in) {
          private long left = entry.bytes();

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] bytes, int offset, int length) throws IOException {
            if (left <= 0) {
              return -1;
            }
            int n = super.read(bytes, offset, (int) Math.min(length, left));
            if (n > 0) {
              left -= n;
            }
            return n;
          }
        },
        BUFFER);
  }

  private InputStream decoded(InputStream raw, Manifest.Entry entry, SecretKey key)
      throws IOException {
    InputStream in = raw;
    if (manifest.encrypted()) {
      in =
          SegmentedEncryption.decrypting(
              in, key, ArchiveWriter.context(entry.name()), manifest.encryption().segmentBytes());
    }
    if (manifest.compressed()) {
      in = new GZIPInputStream(in, BUFFER);
    }
    return new Capped(in, entry);
  }

  private String segmentWhere(Manifest.Entry entry, long segment) {
    long from = ENCRYPTION_HEADER + segment * (manifest.encryption().segmentBytes() + TAG);
    long to = Math.min(from + manifest.encryption().segmentBytes() + TAG, entry.bytes()) - 1;
    return "entry bytes "
        + from
        + ".."
        + to
        + ", file bytes "
        + (entry.offset() + from)
        + ".."
        + (entry.offset() + to);
  }

  /**
   * Why the zip cannot be opened: usually a truncated file, whose end (the central directory, and
   * the manifest before it) is missing. Walks its entries from the start to say where it ends.
   */
  private static String diagnose(Path file, ZipException cause) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      return "cannot be read: " + e.getMessage();
    }
    String current = null;
    String lastComplete = null;
    try (ZipInputStream in =
        new ZipInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        current = entry.getName();
        in.transferTo(OutputStream.nullOutputStream());
        lastComplete = current;
        current = null;
      }
    } catch (IOException e) {
      if (current != null) {
        return "is truncated: the file has "
            + size
            + " bytes and ends inside entry "
            + current
            + " ("
            + e.getMessage()
            + "); the entries after it, the manifest and the zip directory are missing";
      }
      return "is damaged after entry " + lastComplete + ": " + e.getMessage();
    }
    return "has lost its zip directory (the end of the file, after "
        + (lastComplete == null ? "no entry" : "entry " + lastComplete)
        + "): "
        + cause.getMessage()
        + "; the file has "
        + size
        + " bytes (truncated?)";
  }

  /** An archive that cannot be read at all: no manifest, or not a zip any more. */
  public static final class DamagedArchiveException extends IOException {
    DamagedArchiveException(String problem) {
      super(problem);
    }
  }

  /** Hashes the stored bytes of an entry as they are read, and compares them block by block. */
  private static final class BlockCheck {
    private final BlockDigest digest;
    private final int blockBytes;

    BlockCheck(Manifest.Entry entry, int blockBytes) {
      this.digest = new BlockDigest(blockBytes);
      this.blockBytes = blockBytes;
    }

    void update(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }

    /** What is wrong with the bytes read, with where; null when they match. */
    String problem(Manifest.Entry entry, long fileSize) {
      long read = digest.length();
      digest.finish();
      List<String> blocks = digest.blocks();
      for (int i = 0; i < Math.min(blocks.size(), entry.blocks().size()); i++) {
        if (!blocks.get(i).equals(entry.blocks().get(i))) {
          long from = (long) i * blockBytes;
          long to = Math.min(from + blockBytes, entry.bytes()) - 1;
          return "bytes "
              + from
              + ".."
              + to
              + " of the entry (file bytes "
              + (entry.offset() + from)
              + ".."
              + (entry.offset() + to)
              + ") do not match their SHA-256: damaged";
        }
      }
      if (read < entry.bytes()) {
        return "it is truncated: "
            + read
            + " of its "
            + entry.bytes()
            + " bytes are there (the file has "
            + fileSize
            + " bytes)";
      }
      if (!digest.sha256().equals(entry.sha256())) {
        return "its bytes do not match their SHA-256: damaged";
      }
      return null;
    }
  }

  /** Passes bytes through while the block check hashes them. */
  private static final class Checked extends FilterInputStream {
    private final BlockCheck check;

    Checked(InputStream in, BlockCheck check) {
      super(in);
      this.check = check;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int n = super.read(bytes, offset, length);
      if (n > 0) {
        check.update(bytes, offset, n);
      }
      return n;
    }

    /** Every byte passes through read, to be hashed. */
    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(n, BUFFER)];
      int read = read(scratch, 0, scratch.length);
      return Math.max(read, 0);
    }
  }

  /** An entry that decodes to more bytes than its manifest says: never read on to the end. */
  private static final class Overrun extends IOException {
    Overrun(Manifest.Entry entry) {
      super(
          "decodes to more than the "
              + entry.contentBytes()
              + " bytes its manifest says: damaged or crafted");
    }
  }

  /**
   * Ends decoding past the manifest's content size, so that a crafted entry (a gzip bomb) costs no
   * more than its manifest says.
   */
  private static final class Capped extends FilterInputStream {
    private final Manifest.Entry entry;
    private long left;

    Capped(InputStream in, Manifest.Entry entry) {
      super(in);
      this.entry = entry;
      this.left = entry.contentBytes();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      // One byte beyond the size shows whether there is more.
      int n = super.read(bytes, offset, (int) Math.min(length, left + 1));
      if (n > 0) {
        left -= n;
        if (left < 0) {
          throw new Overrun(entry);
        }
      }
      return n;
    }
  }

  /**
   * Splits a stream into UTF-8 lines, none longer than a limit: a longer one fails where it passes
   * the limit, rather than filling memory.
   */
  private static final class Lines {
    private final InputStream in;
    private final int limit;
    private final Manifest.Entry entry;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int filled;
    private byte[] line = new byte[1024];

    Lines(InputStream in, int limit, Manifest.Entry entry) {
      this.in = in;
      this.limit = limit;
      this.entry = entry;
    }

    /** The next line without its newline, or null at the end. */
    String next() throws IOException {
      int length = 0;
      while (true) {
        if (position == filled) {
          filled = Math.max(in.read(buffer), 0);
          position = 0;
          if (filled == 0) {
            return length == 0 ? null : new String(line, 0, length, StandardCharsets.UTF_8);
          }
        }
        int start = position;
        while (position < filled && buffer[position] != '\n') {
          position++;
        }
        int n = position - start;
        if (length + n > limit) {
          throw new IOException(
              entry.name()
                  + " holds a record line longer than the "
                  + limit
                  + " bytes its manifest allows");
        }
        if (length + n > line.length) {
          line = Arrays.copyOf(line, Math.max(2 * line.length, length + n));
        }
        System.arraycopy(buffer, start, line, length, n);
        length += n;
        if (position < filled) {
          position++; // the newline
          return new String(line, 0, length, StandardCharsets.UTF_8);
        }
      }
    }
  }
}
