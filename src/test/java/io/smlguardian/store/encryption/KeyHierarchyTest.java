package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three levels master key, key-encryption key (files in KEY_DIR), data key: ids, wrapping, the
 * legacy format, master key rotation, and destruction of superseded key-encryption keys.
 */
class KeyHierarchyTest {

  private static final String M1 = Base64.getEncoder().encodeToString(bytes(1));
  private static final String M2 = Base64.getEncoder().encodeToString(bytes(2));
  private static final SecretKey DATA_KEY = new SecretKeySpec(bytes(9), "AES");

  @TempDir Path keyDir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @Test
  void aMasterKeyHasAStableIdThatDoesNotRevealIt() {
    var first = config(M1, null).masterKey();
    var again = config(M1, null).masterKey();
    var other = config(M2, null).masterKey();

    assertThat(first.id()).hasSize(16).matches("[0-9a-f]+").isEqualTo(again.id());
    assertThat(other.id()).isNotEqualTo(first.id());
    assertThat(first.id()).isNotEqualTo(Base64.getEncoder().encodeToString(bytes(1)));
  }

  @Test
  void previousMasterKeysAreKnownByIdAfterTheCurrentOne() {
    EncryptionConfig config = config(M2, M1);

    assertThat(config.masterKeys())
        .extracting(EncryptionConfig.MasterKey::id)
        .containsExactly(config(M2, null).masterKey().id(), config(M1, null).masterKey().id());
    assertThat(config.masterKey(config(M1, null).masterKey().id())).isPresent();
    assertThat(config.masterKey("0000000000000000")).isEmpty();
  }

  @Test
  void keyEncryptionKeysArePrivateFilesWrappedByTheMasterKeyAndSharedByInstances()
      throws Exception {
    KeyEncryptionKeys one = keks(config(M1, null));
    KeyEncryptionKeys.Kek current = one.current();

    Path file = keyDir.resolve("kek-" + current.id() + ".json");
    String stored = Files.readString(file);
    assertThat(stored)
        .contains("\"masterKeyId\":\"" + config(M1, null).masterKey().id() + "\"")
        .doesNotContain(Base64.getEncoder().encodeToString(current.key().getEncoded()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir.resolve(""))))
        .startsWith("rwx");
    // Another instance sharing KEY_DIR uses the same one.
    KeyEncryptionKeys other = keks(config(M1, null));
    assertThat(other.current().id()).isEqualTo(current.id());
    assertThat(other.byId(current.id())).contains(current.key());
  }

  @Test
  void aDataKeyWrappedByAKekOpensOnlyForItsUserAndNotOnceTheKekIsDestroyed() {
    EncryptionConfig config = config(M1, null);
    KeyEncryptionKeys keks = keks(config);
    UserKeyService keys = new UserKeyService(null, config, keks);
    KeyEncryptionKeys.Kek first = keks.current();
    String wrapped = UserKeyService.wrap(first, DATA_KEY, "alice");

    assertThat(wrapped).startsWith("gsk2:" + first.id() + ":");
    assertThat(UserKeyService.wrapperOf(wrapped)).isEqualTo(first.id().toString());
    assertThat(keys.unwrap(new UserKey("alice", wrapped))).isEqualTo(DATA_KEY);
    assertThatThrownBy(() -> keys.unwrap(new UserKey("bob", wrapped)))
        .isInstanceOf(UnreadableDataException.class);

    clock.advance(Duration.ofDays(1));
    keks.create();
    assertThat(keks.destroySuperseded(Duration.ZERO, id -> false)).containsExactly(first.id());

    assertThatThrownBy(() -> keys.unwrap(new UserKey("alice", wrapped)))
        .isInstanceOf(UnreadableDataException.class)
        .hasMessageContaining("no longer exists");
  }

  @Test
  void theLegacyFormatWrappedByAMasterKeyStillOpensWithAnyConfiguredMasterKey() {
    String legacy =
        Base64.getEncoder()
            .encodeToString(
                Aead.seal(
                    EncryptionConfig.parseMasterKey(M1),
                    DATA_KEY.getEncoded(),
                    UserKeyService.wrapContext("alice")));

    assertThat(UserKeyService.wrapperOf(legacy)).isEqualTo("master");
    EncryptionConfig same = config(M1, null);
    assertThat(new UserKeyService(null, same, keks(same)).unwrap(new UserKey("alice", legacy)))
        .isEqualTo(DATA_KEY);
    EncryptionConfig rotated = config(M2, M1);
    assertThat(
            new UserKeyService(null, rotated, keks(rotated)).unwrap(new UserKey("alice", legacy)))
        .isEqualTo(DATA_KEY);
    EncryptionConfig retired = config(M2, null);
    assertThatThrownBy(
            () ->
                new UserKeyService(null, retired, keks(retired))
                    .unwrap(new UserKey("alice", legacy)))
        .isInstanceOf(UnreadableDataException.class);
  }

  @Test
  void aRewrapMovesKeksUnderTheNewMasterKeySoTheOldOneCanBeRetired() {
    KeyEncryptionKeys.Kek kek = keks(config(M1, null)).current();
    String wrapped = UserKeyService.wrap(kek, DATA_KEY, "alice");

    // The new master key alone does not open what the old one wrapped.
    EncryptionConfig newOnly = config(M2, null);
    assertThat(keks(newOnly).byId(kek.id())).isEmpty();
    // With the old one as previous, it does; the rewrap moves the file under the new one.
    KeyEncryptionKeys rotating = keks(config(M2, M1));
    assertThat(rotating.byId(kek.id())).contains(kek.key());
    assertThat(rotating.rewrapUnderCurrentMaster()).isEqualTo(1);
    assertThat(rotating.rewrapUnderCurrentMaster()).isZero();

    KeyEncryptionKeys retired = keks(newOnly);
    assertThat(retired.all())
        .singleElement()
        .satisfies(k -> assertThat(k.masterKeyId()).isEqualTo(newOnly.masterKey().id()));
    assertThat(new UserKeyService(null, newOnly, retired).unwrap(new UserKey("alice", wrapped)))
        .isEqualTo(DATA_KEY);
  }

  @Test
  void onlyKeksSupersededLongerThanTheRetentionAndUnusedAreDestroyedNeverTheNewest() {
    KeyEncryptionKeys keks = keks(config(M1, null));
    UUID first = keks.current().id();
    clock.advance(Duration.ofDays(1));
    UUID second = keks.create().id();
    clock.advance(Duration.ofDays(1));
    UUID third = keks.create().id();

    clock.advance(Duration.ofHours(23)); // second superseded 23 h ago, first 47 h ago
    assertThat(keks.destroySuperseded(Duration.ofDays(2), id -> false)).isEmpty();
    assertThat(keks.destroySuperseded(Duration.ofDays(1), id -> id.equals(first))).isEmpty();
    assertThat(keks.destroySuperseded(Duration.ofDays(1), id -> false)).containsExactly(first);
    clock.advance(Duration.ofHours(1));
    assertThat(keks.destroySuperseded(Duration.ofDays(1), id -> false)).containsExactly(second);
    clock.advance(Duration.ofDays(30));
    assertThat(keks.destroySuperseded(Duration.ZERO, id -> false)).isEmpty();
    assertThat(keks.all()).extracting(KeyEncryptionKeys.Kek::id).containsExactly(third);
  }

  @Test
  void keySettingsAreCheckedAndDefaulted() {
    EncryptionConfig defaults =
        new EncryptionConfig(
            name -> Optional.ofNullable(Map.of("ENCRYPTION_MASTER_KEY", M1).get(name)));
    assertThat(defaults.keyDirectory()).isEqualTo(Path.of("keys").toAbsolutePath());
    assertThat(defaults.rotationInterval()).contains(Duration.ofDays(7));
    assertThat(defaults.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.cacheTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(
            config(Map.of("ENCRYPTION_MASTER_KEY", M1, "KEY_ROTATION_INTERVAL", "off"))
                .rotationInterval())
        .isEmpty();
    assertThat(config(Map.of("ENCRYPTION_MASTER_KEY", M1, "KEY_RETENTION", "PT0S")).retention())
        .isZero();
    assertThatThrownBy(() -> config(Map.of("ENCRYPTION_MASTER_KEY", M1, "KEY_CACHE_TTL", "PT2M")))
        .hasMessageContaining("KEY_CACHE_TTL=PT2M is longer than PT1M");
    assertThatThrownBy(() -> config(Map.of("ENCRYPTION_MASTER_KEY", M1, "KEY_RETENTION", "7 days")))
        .hasMessageContaining("KEY_RETENTION=7 days is not an ISO-8601 duration");
    assertThatThrownBy(
            () -> config(Map.of("ENCRYPTION_MASTER_KEY", M1, "KEY_ROTATION_INTERVAL", "PT0S")))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "ENCRYPTION_MASTER_KEY",
                        M1,
                        "ENCRYPTION_PREVIOUS_MASTER_KEYS",
                        "c2hvcnQ=")))
        .hasMessageContaining("must be 32 bytes");
  }

  private EncryptionConfig config(String current, String previous) {
    Map<String, String> settings = new HashMap<>();
    settings.put("ENCRYPTION_MASTER_KEY", current);
    if (previous != null) {
      settings.put("ENCRYPTION_PREVIOUS_MASTER_KEYS", previous);
    }
    return config(settings);
  }

  private EncryptionConfig config(Map<String, String> given) {
    Map<String, String> settings = new HashMap<>(given);
    settings.put("KEY_DIR", keyDir.toString());
    settings.putIfAbsent("KEY_CACHE_TTL", "PT0S"); // every read sees the directory as it is
    return new EncryptionConfig(name -> Optional.ofNullable(settings.get(name)));
  }

  private KeyEncryptionKeys keks(EncryptionConfig config) {
    return new KeyEncryptionKeys(config, clock);
  }

  private static byte[] bytes(int seed) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return bytes;
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
