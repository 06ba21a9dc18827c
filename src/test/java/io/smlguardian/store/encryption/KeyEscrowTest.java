package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Escrows are named by the time they were written, and kept no longer than the retention. */
class KeyEscrowTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  @TempDir Path keyDir;

  @Test
  void onlyEscrowNamesAreAcceptedNothingThatLeavesKeyDir() {
    assertThat(KeyEscrow.validName("escrow-1764936000000-0a1b2c3d.jsonl")).isTrue();
    assertThat(KeyEscrow.validName("../escrow-1764936000000-0a1b2c3d.jsonl")).isFalse();
    assertThat(KeyEscrow.validName("kek-0a1b2c3d.json")).isFalse();
    assertThat(KeyEscrow.validName("escrow-1764936000000-0A1B2C3D.jsonl")).isFalse();
    assertThat(KeyEscrow.validName(null)).isFalse();
    assertThat(KeyEscrow.writtenAt("escrow-1764936000000-0a1b2c3d.jsonl"))
        .contains(Instant.ofEpochMilli(1764936000000L));
  }

  @Test
  void escrowsWrittenARetentionAgoOrEarlierAreDeletedNewerOnesKept() throws Exception {
    String old = name(NOW.minus(Duration.ofDays(8)));
    String exactly = name(NOW.minus(Duration.ofDays(7)));
    String recent = name(NOW.minus(Duration.ofDays(6)));
    for (String name : new String[] {old, exactly, recent, "kek-unrelated.json"}) {
      Files.writeString(keyDir.resolve(name), "{}");
    }
    KeyEscrow escrow = new KeyEscrow(config(), null, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(escrow.names()).containsExactly(old, exactly, recent);
    assertThat(escrow.deleteOlderThan(Duration.ofDays(7))).containsExactly(old, exactly);
    assertThat(escrow.names()).containsExactly(recent);
    assertThat(keyDir.resolve("kek-unrelated.json")).exists();
    assertThat(escrow.deleteOlderThan(Duration.ZERO)).containsExactly(recent);
  }

  private EncryptionConfig config() {
    Map<String, String> settings =
        Map.of(
            "ENCRYPTION_MASTER_KEY",
            Base64.getEncoder().encodeToString(new byte[32]),
            "KEY_DIR",
            keyDir.toString());
    return new EncryptionConfig(name -> Optional.ofNullable(settings.get(name)));
  }

  private static String name(Instant at) {
    return String.format("escrow-%013d-0a1b2c3d.jsonl", at.toEpochMilli());
  }
}
