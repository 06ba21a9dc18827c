package io.smlguardian.store.backup.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The segment format on small segments (64 bytes), so that a few hundred bytes span many: every
 * length round-trips, and every kind of tampering (a flipped bit, a cut at or inside a segment, a
 * dropped or swapped segment, another key, another entry) fails, naming the segment.
 */
class SegmentedEncryptionTest {

  private static final int SEGMENT = 64;
  private static final int HEADER = 20;
  private static final int SEALED = SEGMENT + 16;
  private static final SecretKey KEY = key();
  private static final String CONTEXT = "guardian-store-backup/interactions.jsonl.gz.enc";

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 64, 65, 128, 129, 1000})
  void everyLengthRoundTrips(int length) throws IOException {
    byte[] plain = random(length);

    byte[] sealed = encrypt(plain, KEY, CONTEXT);

    assertThat(decrypt(sealed, KEY, CONTEXT)).isEqualTo(plain);
    int segments = Math.max(1, (length + SEGMENT - 1) / SEGMENT); // an empty stream has one
    assertThat(sealed.length).isEqualTo(HEADER + length + 16L * segments);
  }

  @Test
  void segmentsOfNoSizeOrBeyondTheLimitAreRefusedBeforeAnythingIsHeld() {
    for (int size : new int[] {0, -1, Manifest.MAX_SEGMENT_BYTES + 1, Integer.MAX_VALUE}) {
      assertThatThrownBy(
              () ->
                  SegmentedEncryption.decrypting(
                      new ByteArrayInputStream(new byte[0]), KEY, CONTEXT, size))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> SegmentedEncryption.encrypting(new ByteArrayOutputStream(), KEY, CONTEXT, size))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theSameDataEncryptsDifferentlyEachTime() throws IOException {
    byte[] plain = random(200);

    assertThat(encrypt(plain, KEY, CONTEXT)).isNotEqualTo(encrypt(plain, KEY, CONTEXT));
  }

  @Test
  void aFlippedBitFailsItsSegment() throws IOException {
    byte[] sealed = encrypt(random(300), KEY, CONTEXT);
    sealed[HEADER + 2 * SEALED + 5] ^= 1;

    assertThatThrownBy(() -> decrypt(sealed, KEY, CONTEXT))
        .isInstanceOf(SegmentedEncryption.SegmentException.class)
        .hasMessageContaining("segment 2 fails authentication")
        .satisfies(
            e -> assertThat(((SegmentedEncryption.SegmentException) e).segment()).isEqualTo(2));
  }

  @Test
  void aStreamCutAtASegmentBoundaryIsTruncated() throws IOException {
    byte[] sealed = encrypt(random(300), KEY, CONTEXT);
    byte[] cut = Arrays.copyOf(sealed, HEADER + 2 * SEALED);

    // The second segment was not written as the last one: it fails as the stream's end.
    assertThatThrownBy(() -> decrypt(cut, KEY, CONTEXT))
        .isInstanceOf(SegmentedEncryption.SegmentException.class)
        .hasMessageContaining("segment 1 fails authentication")
        .hasMessageContaining("truncated");
  }

  @Test
  void aStreamCutInsideASegmentIsTruncated() throws IOException {
    byte[] sealed = encrypt(random(300), KEY, CONTEXT);

    assertThatThrownBy(() -> decrypt(Arrays.copyOf(sealed, HEADER + SEALED + 30), KEY, CONTEXT))
        .isInstanceOf(SegmentedEncryption.SegmentException.class)
        .hasMessageContaining("segment 1");
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(sealed, HEADER + SEALED + 10), KEY, CONTEXT))
        .isInstanceOf(SegmentedEncryption.SegmentException.class)
        .hasMessageContaining("segment 1 is missing");
    assertThatThrownBy(() -> decrypt(Arrays.copyOf(sealed, 10), KEY, CONTEXT))
        .isInstanceOf(SegmentedEncryption.SegmentException.class)
        .hasMessageContaining("no encryption header");
  }

  @Test
  void swappedOrDroppedSegmentsFail() throws IOException {
    byte[] sealed = encrypt(random(300), KEY, CONTEXT);
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, HEADER, swapped, HEADER + SEALED, SEALED);
    System.arraycopy(sealed, HEADER + SEALED, swapped, HEADER, SEALED);
    byte[] dropped = new byte[sealed.length - SEALED];
    System.arraycopy(sealed, 0, dropped, 0, HEADER);
    System.arraycopy(sealed, HEADER + SEALED, dropped, HEADER, sealed.length - HEADER - SEALED);

    assertThatThrownBy(() -> decrypt(swapped, KEY, CONTEXT))
        .hasMessageContaining("segment 0 fails authentication");
    assertThatThrownBy(() -> decrypt(dropped, KEY, CONTEXT))
        .hasMessageContaining("segment 0 fails authentication");
  }

  @Test
  void anotherKeyOrAnotherEntryDoesNotOpenIt() throws IOException {
    byte[] sealed = encrypt(random(100), KEY, CONTEXT);

    assertThatThrownBy(() -> decrypt(sealed, key(), CONTEXT))
        .hasMessageContaining("segment 0 fails authentication");
    assertThatThrownBy(() -> decrypt(sealed, KEY, "guardian-store-backup/memories.jsonl.gz.enc"))
        .hasMessageContaining("segment 0 fails authentication");
  }

  @Test
  void theKeyCheckTellsKeysApart() {
    String check = SegmentedEncryption.keyCheck(KEY);

    assertThat(check).hasSize(16);
    assertThat(SegmentedEncryption.matches(KEY, check)).isTrue();
    assertThat(SegmentedEncryption.matches(key(), check)).isFalse();
    assertThat(SegmentedEncryption.matches(KEY, null)).isFalse();
  }

  private static byte[] encrypt(byte[] plain, SecretKey key, String context) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream encrypting = SegmentedEncryption.encrypting(out, key, context, SEGMENT)) {
      // Odd-sized writes, so that writes straddle segments.
      for (int i = 0; i < plain.length; i += 7) {
        encrypting.write(plain, i, Math.min(7, plain.length - i));
      }
    }
    return out.toByteArray();
  }

  private static byte[] decrypt(byte[] sealed, SecretKey key, String context) throws IOException {
    try (InputStream in =
        SegmentedEncryption.decrypting(new ByteArrayInputStream(sealed), key, context, SEGMENT)) {
      return in.readAllBytes();
    }
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static SecretKey key() {
    return new SecretKeySpec(random(32), "AES");
  }
}
