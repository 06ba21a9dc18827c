package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.KeyOperator;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A master key rotated and retired on a server of its own (a SQLite store, its own keys): the new
 * key alone opens nothing the old one wrapped, both together read everything, the rotation moves
 * every key under the new one, and after the old one is gone every record still reads; then the
 * rotation's schedule ({@code KEY_ROTATION_INTERVAL}) rotates on that server by itself.
 */
@Tag("postgresql") // starts a server of its own: once per build is enough
@OnItsOwnServers
class MasterKeyRotationIT {

  private static final Duration CACHE_TTL = Duration.ofSeconds(5); // KEY_CACHE_TTL's default

  @Test
  void aRotatedMasterKeyIsRetiredWithEveryRecordReadable() throws Exception {
    String oldMaster = randomKey();
    String newMaster = randomKey();
    Path root = Files.createTempDirectory(Path.of("target"), "rotation-server-").toAbsolutePath();
    Map<String, JsonObject> samples = new LinkedHashMap<>();
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-keys-rotation",
            SecondServer.withOwnFilesIn(
                root,
                Map.of(
                    "DB_BACKEND",
                    "sqlite",
                    "SQLITE_PATH",
                    root.resolve("store.db").toString(),
                    "ENCRYPTION_MASTER_KEY",
                    oldMaster)))) {
      KeyOperator.awaitReady(server.serverUrl());
      String memories = server.baseUrl() + "/api/collections/memories/";
      for (int i = 0; i < 3; i++) {
        JsonObject sample = Samples.record("memories", "rotated-" + i + "-" + UUID.randomUUID());
        Api.Reply created = Api.SERVICE.post(memories, sample);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        samples.put(created.object().getString("id"), sample);
      }
      String oldId = new KeyOperator(server.baseUrl()).state().getString("masterKeyId");

      // The new master key alone cannot open what the old one wrapped.
      server.kill();
      server.restart(Map.of("ENCRYPTION_MASTER_KEY", newMaster));
      KeyOperator.awaitReady(server.serverUrl());
      for (String id : samples.keySet()) {
        assertThat(Api.SERVICE.get(memories + id).status()).isEqualTo(410);
      }

      // With the old one as previous, everything reads; the rotation moves it all under the new.
      server.kill();
      server.restart(
          Map.of("ENCRYPTION_MASTER_KEY", newMaster, "ENCRYPTION_PREVIOUS_MASTER_KEYS", oldMaster));
      KeyOperator.awaitReady(server.serverUrl());
      KeyOperator keys = new KeyOperator(server.baseUrl());
      assertReadable(memories, samples);
      JsonObject state = keys.state();
      String newId = state.getString("masterKeyId");
      assertThat(newId).isNotEqualTo(oldId);
      assertThat(state.getJsonArray("previousMasterKeys").getJsonObject(0).getString("id"))
          .isEqualTo(oldId);
      assertThat(
              state
                  .getJsonArray("previousMasterKeys")
                  .getJsonObject(0)
                  .getBoolean("wrapsKeyEncryptionKeys"))
          .isTrue();

      JsonObject rotation = keys.rotate("");
      assertThat(rotation.getString("status")).as(rotation.toString()).isEqualTo("COMPLETED");
      JsonObject result = rotation.getJsonObject("result");
      assertThat(result.getInt("kekFilesRewrapped")).isPositive();
      assertThat(result.getJsonNumber("keysRewrapped").longValue()).isEqualTo(3);
      JsonObject rotated = keys.state();
      assertThat(
              rotated
                  .getJsonArray("previousMasterKeys")
                  .getJsonObject(0)
                  .getBoolean("wrapsKeyEncryptionKeys"))
          .isFalse();
      assertThat(rotated.getJsonArray("keyEncryptionKeys"))
          .allSatisfy(
              kek -> assertThat(kek.asJsonObject().getString("masterKeyId")).isEqualTo(newId));

      // Retired: only the new master key is configured, and every record reads. The rotation's
      // schedule runs from this start on (KEY_ROTATION_INTERVAL=PT2S: checked every 2 s, and the
      // current KEK, made by the rotation above, is older than that by now).
      server.kill();
      server.restart(
          Map.of(
              "ENCRYPTION_MASTER_KEY",
              newMaster,
              "ENCRYPTION_PREVIOUS_MASTER_KEYS",
              "",
              "KEY_ROTATION_INTERVAL",
              "PT2S"));
      KeyOperator.awaitReady(server.serverUrl());
      KeyOperator retired = new KeyOperator(server.baseUrl());
      assertThat(retired.state().getJsonArray("previousMasterKeys")).isEmpty();
      assertReadable(memories, samples);

      // Nobody asks for a rotation: the schedule makes a new KEK current and re-wraps every key
      // under it, and every record still reads once the cached keys have expired.
      String rotatedByHand = result.getString("currentKek");
      String scheduled = awaitNewCurrentKek(retired, rotatedByHand, Duration.ofMinutes(2));
      assertThat(retired.state().getJsonObject("settings").getString("rotationInterval"))
          .isEqualTo("PT2S");
      assertThat(scheduled).isNotEqualTo(rotatedByHand);
      Thread.sleep(CACHE_TTL.plusSeconds(1).toMillis());
      assertReadable(memories, samples);
    }
  }

  /** Polls the key state until a KEK other than {@code previous} is current; its id. */
  private static String awaitNewCurrentKek(KeyOperator keys, String previous, Duration timeout)
      throws InterruptedException {
    long began = System.nanoTime();
    while (System.nanoTime() - began < timeout.toNanos()) {
      for (JsonObject kek :
          keys.state().getJsonArray("keyEncryptionKeys").getValuesAs(JsonObject.class)) {
        if (kek.getBoolean("current") && !kek.getString("id").equals(previous)) {
          return kek.getString("id");
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no scheduled rotation made a new KEK current within " + timeout);
  }

  private static void assertReadable(String memories, Map<String, JsonObject> samples) {
    samples.forEach(
        (id, sample) -> {
          Api.Reply read = Api.SERVICE.get(memories + id);
          assertThat(read.status()).as(read.toString()).isEqualTo(200);
          assertThat(read.object().get("patterns")).isEqualTo(sample.get("patterns"));
        });
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
