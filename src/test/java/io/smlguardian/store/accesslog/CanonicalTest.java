package io.smlguardian.store.accesslog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The canonical form is what every stored MAC was made over: its bytes must never change, or the
 * entries already written stop verifying. Pinned here against the form written out by hand.
 */
class CanonicalTest {

  @Test
  void writesEachValueAsItsMarkerAndBigEndianFields() throws IOException {
    Instant time = Instant.parse("2026-12-05T10:15:30.123456789Z");
    byte[] written =
        new Canonical("t").add("é").add((String) null).add(-2L).add(time).add(true).bytes();

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    out.writeByte(1);
    out.writeLong(1);
    out.write("t".getBytes(StandardCharsets.UTF_8));
    out.writeByte(1);
    out.writeLong(2); // é is two bytes in UTF-8
    out.write("é".getBytes(StandardCharsets.UTF_8));
    out.writeByte(0);
    out.writeByte(2);
    out.writeLong(-2);
    out.writeByte(3);
    out.writeLong(time.getEpochSecond());
    out.writeLong(123456); // microseconds, the stores' precision
    out.writeByte(4);
    out.writeByte(1);
    assertArrayEquals(expected.toByteArray(), written);
  }

  @Test
  void growsPastItsFirstBufferWithoutLosingBytes() {
    String long1 = "a".repeat(300);
    String long2 = "b".repeat(5000);
    byte[] written = new Canonical("t").add(long1).add(long2).bytes();

    assertEquals(9 + 1 + 9 + 300 + 9 + 5000, written.length);
    assertEquals('a', written[9 + 1 + 9]);
    assertEquals('b', written[written.length - 1]);
  }
}
