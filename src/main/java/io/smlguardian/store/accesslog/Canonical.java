package io.smlguardian.store.accesslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

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

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  Canonical(String type) {
    add(type);
  }

  Canonical add(String value) {
    if (value == null) {
      out.write(NULL);
      return this;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(TEXT);
    writeLong(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  Canonical add(long value) {
    out.write(NUMBER);
    writeLong(value);
    return this;
  }

  /** A time at the precision the stores keep (microseconds). */
  Canonical add(Instant value) {
    if (value == null) {
      out.write(NULL);
      return this;
    }
    out.write(TIME);
    writeLong(value.getEpochSecond());
    writeLong(value.getNano() / 1000);
    return this;
  }

  Canonical add(Boolean value) {
    if (value == null) {
      out.write(NULL);
      return this;
    }
    out.write(BOOLEAN);
    out.write(value ? 1 : 0);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void writeLong(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }
}
