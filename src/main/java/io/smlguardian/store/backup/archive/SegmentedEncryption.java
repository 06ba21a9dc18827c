package io.smlguardian.store.backup.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over a stream of any length, in segments, so that neither side ever holds more than
 * one segment: Java's GCM decryption buffers all its input before it checks the tag, so one GCM
 * message per archive entry would need the whole entry in memory.
 *
 * <p>Format of one encrypted stream: {@code "GSB1"}, a 16-byte random salt, then segments. Every
 * segment but the last holds exactly {@code segmentBytes} of plaintext; the last holds the rest
 * (possibly none); each is followed by its 16-byte tag. The segment key is HMAC-SHA256(key, label ‖
 * salt), fresh for every stream, so nonces never repeat under one key; the nonce is the segment's
 * index and whether it is the last, and the associated data binds the segment to its context (the
 * entry), its index and that flag. So a segment altered, moved to another place or another entry, a
 * segment dropped or reordered, and a stream cut after any segment (no segment then says it is the
 * last) all fail to decrypt, and the failure names the segment.
 */
public final class SegmentedEncryption {

  public static final int DEFAULT_SEGMENT_BYTES = 1 << 20;
  static final String ALGORITHM = "AES-256-GCM, segmented";

  private static final byte[] MAGIC = "GSB1".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_BYTES = 16;
  private static final int TAG_BYTES = 16;
  private static final byte[] SEGMENT_KEY_LABEL =
      "guardian-store-backup/segment-key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_CHECK_LABEL =
      "guardian-store-backup/key-check".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SegmentedEncryption() {}

  /**
   * A short fingerprint of the key, kept in the manifest: it tells "another key" apart from
   * "corrupted" without revealing anything of the key.
   */
  static String keyCheck(SecretKey key) {
    return HexFormat.of().formatHex(Arrays.copyOf(hmac(key, KEY_CHECK_LABEL), 8));
  }

  public static boolean matches(SecretKey key, String keyCheck) {
    return MessageDigest.isEqual(
        keyCheck(key).getBytes(StandardCharsets.US_ASCII),
        String.valueOf(keyCheck).getBytes(StandardCharsets.US_ASCII));
  }

  /** Encrypts what is written to it onto {@code out}; close it to write the last segment. */
  static OutputStream encrypting(OutputStream out, SecretKey key, String context, int segmentBytes)
      throws IOException {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return encrypting(out, key, context, segmentBytes, salt);
  }

  /**
   * Encrypts with the salt given: for the published test vectors only (a salt must never repeat
   * under one key).
   */
  static OutputStream encrypting(
      OutputStream out, SecretKey key, String context, int segmentBytes, byte[] salt)
      throws IOException {
    requireSegmentSize(segmentBytes);
    if (salt.length != SALT_BYTES) {
      throw new IllegalArgumentException("a salt has " + SALT_BYTES + " bytes");
    }
    return new Encrypting(out, key, context, segmentBytes, salt.clone());
  }

  /** Decrypts a stream that {@link #encrypting} wrote with the same key, context and size. */
  static InputStream decrypting(InputStream in, SecretKey key, String context, int segmentBytes)
      throws IOException {
    requireSegmentSize(segmentBytes);
    return new Decrypting(in, key, context, segmentBytes);
  }

  /** Each side holds one segment: its size is bounded, whatever a manifest says. */
  private static void requireSegmentSize(int segmentBytes) {
    if (segmentBytes < 1 || segmentBytes > Manifest.MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segments of " + segmentBytes + " bytes; 1 to " + Manifest.MAX_SEGMENT_BYTES + " only");
    }
  }

  /** A segment failed to decrypt, or the stream ended where it must not. */
  static final class SegmentException extends IOException {
    private final long segment;

    SegmentException(long segment, String problem) {
      super("segment " + segment + " " + problem);
      this.segment = segment;
    }

    long segment() {
      return segment;
    }
  }

  private static SecretKey segmentKey(SecretKey key, byte[] salt) {
    byte[] input =
        ByteBuffer.allocate(SEGMENT_KEY_LABEL.length + salt.length)
            .put(SEGMENT_KEY_LABEL)
            .put(salt)
            .array();
    return new SecretKeySpec(hmac(key, input), "AES");
  }

  private static byte[] hmac(SecretKey key, byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static GCMParameterSpec nonce(long index, boolean last) {
    byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong((index << 1) | (last ? 1 : 0)).array();
    return new GCMParameterSpec(TAG_BYTES * 8, nonce);
  }

  private static byte[] associatedData(byte[] context, long index, boolean last) {
    return ByteBuffer.allocate(context.length + 9)
        .put(context)
        .putLong(index)
        .put((byte) (last ? 1 : 0))
        .array();
  }

  private static Cipher cipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static final class Encrypting extends FilterOutputStream {
    private final SecretKey segmentKey;
    private final byte[] context;
    private final byte[] plain;
    private final Cipher cipher = cipher();
    private int filled;
    private long index;
    private boolean closed;

    Encrypting(OutputStream out, SecretKey key, String context, int segmentBytes, byte[] salt)
        throws IOException {
      super(out);
      this.segmentKey = segmentKey(key, salt);
      this.context = context.getBytes(StandardCharsets.UTF_8);
      this.plain = new byte[segmentBytes];
      out.write(MAGIC);
      out.write(salt);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        if (filled == plain.length) {
          // A full segment is only sealed once more follows: the last one says it is the last.
          seal(false);
        }
        int n = Math.min(length, plain.length - filled);
        System.arraycopy(bytes, offset, plain, filled, n);
        filled += n;
        offset += n;
        length -= n;
      }
    }

    @Override
    public void flush() {
      // Segments are written whole; flushing mid-segment would end it early.
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        seal(true);
        out.close();
      }
    }

    private void seal(boolean last) throws IOException {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, segmentKey, nonce(index, last));
        cipher.updateAAD(associatedData(context, index, last));
        out.write(cipher.doFinal(plain, 0, filled));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM failed", e);
      }
      index++;
      filled = 0;
    }
  }

  private static final class Decrypting extends InputStream {
    private final InputStream in;
    private final SecretKey segmentKey;
    private final byte[] context;
    private final byte[] sealed;
    private final Cipher cipher = cipher();
    private byte[] plain = new byte[0];
    private int position;
    private long index;
    private boolean lastSeen;
    private int lookahead = -1;

    Decrypting(InputStream in, SecretKey key, String context, int segmentBytes) throws IOException {
      this.in = in;
      byte[] header = in.readNBytes(MAGIC.length + SALT_BYTES);
      if (header.length < MAGIC.length + SALT_BYTES
          || !Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)) {
        throw new SegmentException(0, "is missing: the stream has no encryption header");
      }
      this.segmentKey = segmentKey(key, Arrays.copyOfRange(header, MAGIC.length, header.length));
      this.context = context.getBytes(StandardCharsets.UTF_8);
      this.sealed = new byte[segmentBytes + TAG_BYTES];
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      while (position == plain.length) {
        if (lastSeen) {
          return -1;
        }
        open();
      }
      int n = Math.min(length, plain.length - position);
      System.arraycopy(plain, position, bytes, offset, n);
      position += n;
      return n;
    }

    /** Reads and opens the next segment; a full one is the last when nothing follows it. */
    private void open() throws IOException {
      int n = 0;
      if (lookahead >= 0) {
        sealed[n++] = (byte) lookahead;
        lookahead = -1;
      }
      n += in.readNBytes(sealed, n, sealed.length - n);
      boolean last;
      if (n < sealed.length) {
        last = true;
      } else {
        lookahead = in.read();
        last = lookahead < 0;
      }
      if (n < TAG_BYTES) {
        throw new SegmentException(index, "is missing: the stream ends before it (truncated)");
      }
      try {
        cipher.init(Cipher.DECRYPT_MODE, segmentKey, nonce(index, last));
        cipher.updateAAD(associatedData(context, index, last));
        plain = cipher.doFinal(sealed, 0, n);
      } catch (AEADBadTagException e) {
        throw new SegmentException(
            index,
            last
                ? "fails authentication: altered, truncated, or encrypted with another key"
                : "fails authentication: altered, or encrypted with another key");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM failed", e);
      }
      position = 0;
      lastSeen = last;
      index++;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
