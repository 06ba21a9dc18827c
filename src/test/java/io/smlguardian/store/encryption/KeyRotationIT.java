package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.KeyOperator;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A rotation on the build's running server of each backend (every run: PostgreSQL, SQLite, memory,
 * MongoDB), through {@code /api/keys/rotations} and the key-rotation job: every user's data key is
 * re-wrapped through that backend's store under the new key-encryption key, the superseded one is
 * destroyed at once ({@code retention=PT0S}), and every record still reads, once this instance's
 * cached keys have expired and each is unwrapped anew. (The master key's own rotation rewrites the
 * KEK files in KEY_DIR, which no backend holds, and needs a restart with new settings: {@code
 * KeyHierarchyIT} does it on a server of its own.)
 */
class KeyRotationIT {

  private static final Duration CACHE_TTL = Duration.ofSeconds(5); // KEY_CACHE_TTL's default

  @Test
  void aRotationRewrapsEveryKeyInThisBackendAndRetiresTheOldKeyWithEveryRecordReadable()
      throws InterruptedException {
    Map<String, JsonObject> samples = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      JsonObject sample = Samples.record("memories", "rotation-" + i + "-" + UUID.randomUUID());
      Api.Reply created = Api.post("/api/collections/memories", sample);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      samples.put(created.object().getString("id"), sample);
    }
    KeyOperator keys = KeyOperator.ofServerUnderTest();
    String before = current(keys.state());

    JsonObject rotation = keys.rotate("?retention=PT0S");

    assertThat(rotation.getString("status")).as(rotation.toString()).isEqualTo("COMPLETED");
    JsonObject result = rotation.getJsonObject("result");
    String after = result.getString("currentKek");
    assertThat(after).isNotEqualTo(before);
    assertThat(result.getBoolean("complete")).as(result.toString()).isTrue();
    // Every data key of the store, this test's three among them, moved under the new KEK...
    assertThat(result.getJsonNumber("keysRewrapped").longValue()).isGreaterThanOrEqualTo(3);
    assertThat(result.getJsonObject("keysWrappedBy").keySet()).containsExactly(after);
    // ...and the old one is gone: nothing wrapped by it could be opened any more.
    assertThat(result.getJsonArray("keksDestroyed").getValuesAs(JsonValue::toString))
        .contains("\"" + before + "\"");
    JsonObject state = keys.state();
    assertThat(current(state)).isEqualTo(after);
    assertThat(state.getJsonArray("keyEncryptionKeys").getValuesAs(JsonObject.class))
        .extracting(kek -> kek.getString("id"))
        .doesNotContain(before);

    Thread.sleep(CACHE_TTL.plusSeconds(1).toMillis()); // cached keys expire: each is read anew
    samples.forEach(
        (id, sample) -> {
          Api.Reply read = Api.get("/api/collections/memories/" + id);
          assertThat(read.status()).as(read.toString()).isEqualTo(200);
          assertThat(read.object().get("patterns")).isEqualTo(sample.get("patterns"));
        });
    // A user's first write after the rotation is sealed under a key the new KEK wraps, and reads.
    JsonObject later = Samples.record("memories", "rotation-later-" + UUID.randomUUID());
    Api.Reply created = Api.post("/api/collections/memories", later);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Api.Reply read = Api.get("/api/collections/memories/" + created.object().getString("id"));
    assertThat(read.object().get("patterns")).isEqualTo(later.get("patterns"));
  }

  private static String current(JsonObject state) {
    List<JsonObject> keks = state.getJsonArray("keyEncryptionKeys").getValuesAs(JsonObject.class);
    return keks.stream()
        .filter(kek -> kek.getBoolean("current"))
        .map(kek -> kek.getString("id"))
        .findFirst()
        .orElseThrow();
  }
}
