package io.smlguardian.store.accesslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The unambiguous byte form of what a MAC of the ledger covers: a type tag, then each value as a
 * marker byte (null, text, number, time, boolean) followed, for text, by its length and its UTF-8
 * bytes. No two different sequences of values give the same bytes: a null is never the text "null",
 * and no separator inside a text can shift a boundary.
 */
final class Canonical {

  private static final byte NULL = 0;
  private static final byte TEXT = 1;
  private static final byte NUMBER = 2;
  private static final byte TIME = 3;
  private static final byte BOOLEAN = 4;

  // A plain array rather than a ByteArrayOutputStream, whose every write is synchronized: the
  // ledger makes one of these for every entry it writes and every entry the sealer checks.
  private byte[] out = new byte[256];
  private int length;

  Canonical(String type) {
    add(type);
  }

  Canonical add(String value) {
    if (value == null) {
      write(NULL);
      return this;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    write(TEXT);
    writeLong(bytes.length);
    write(bytes);
    return this;
  }

  /**
   * A list of texts, as its length and then each; nothing at all for null, so that the canonical
   * form of an entry without the list is what it was before lists were added.
   */
  Canonical addAll(java.util.List<String> values) {
    if (values != null) {
      add(values.size());
      values.forEach(this::add);
    }
    return this;
  }

  Canonical add(long value) {
    write(NUMBER);
    writeLong(value);
    return this;
  }

  /** A time at the precision the stores keep (microseconds). */
  Canonical add(Instant value) {
    if (value == null) {
      write(NULL);
      return this;
    }
    write(TIME);
    writeLong(value.getEpochSecond());
    writeLong(value.getNano() / 1000);
    return this;
  }

  Canonical add(Boolean value) {
    if (value == null) {
      write(NULL);
      return this;
    }
    write(BOOLEAN);
    write((byte) (value ? 1 : 0));
    return this;
  }

  byte[] bytes() {
    return Arrays.copyOf(out, length);
  }

  private void writeLong(long value) {
    room(Long.BYTES);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out[length++] = (byte) (value >>> shift);
    }
  }

  private void write(byte value) {
    room(1);
    out[length++] = value;
  }

  private void write(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, out, length, bytes.length);
    length += bytes.length;
  }

  private void room(int more) {
    if (length + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
    }
  }
}
