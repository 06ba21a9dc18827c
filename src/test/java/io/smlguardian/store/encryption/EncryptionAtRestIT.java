package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sensitive free-form content is sealed in the database itself, readable only through the API, and
 * unreadable for good once its owner is erased, even from a copy taken before.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class EncryptionAtRestIT {

  private static final Api.Client PRIVACY_OFFICER =
      Api.as(TestTokens.token("it-privacy-officer", "privacy-officer"));

  private static String stored(String table, String column, String id) {
    return String.valueOf(
        Database.single("SELECT " + column + "::text FROM " + table + " WHERE id = ?::uuid", id));
  }

  @Test
  void sensitiveJsonFieldsAreSealedInTheDatabaseAndClearThroughTheApi() {
    String user = "sealed-" + UUID.randomUUID();
    for (var entry :
        java.util.Map.of(
                "memories", List.of("patterns", "metadata"),
                "dream_cycles", List.of("memories", "simulations", "insights"),
                "profile_snapshots", List.of("dimensions", "insights"))
            .entrySet()) {
      String collection = entry.getKey();
      JsonObject sample = Samples.record(collection, user);
      String id = Api.post("/api/collections/" + collection, sample).object().getString("id");

      JsonObject read = Api.get("/api/collections/" + collection + "/" + id).object();
      for (String field : entry.getValue()) {
        assertThat(read.get(field)).as(collection + "." + field).isEqualTo(sample.get(field));
        String column = field.replaceAll("([A-Z])", "_$1").toLowerCase();
        String inDatabase = stored(collection, column, id);
        assertThat(inDatabase).as(collection + "." + field).startsWith("\"gse1:");
        assertThat(inDatabase).doesNotContain(sample.get(field).toString().substring(1, 5));
      }
    }
  }

  @Test
  void queryFieldsAndInternalCollectionsStayClearAndQueryable() {
    String user = "clear-" + UUID.randomUUID();
    String memory =
        Api.post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");
    String session =
        Api.post("/api/collections/sessions", Samples.record("sessions", user))
            .object()
            .getString("id");

    assertThat(stored("memories", "type", memory)).isEqualTo("success_pattern");
    assertThat(stored("sessions", "metadata", session)).isEqualTo("{\"device\": \"phone\"}");
    assertThat(
            Api.get(
                    "/api/collections/memories?userId=eq."
                        + user
                        + "&type=eq.success_pattern&strength=gt.0.5")
                .items())
        .hasSize(1);
  }

  @Test
  void erasureDestroysTheKeySoACopyTakenBeforeCannotBeRead() {
    String user = "shredded-" + UUID.randomUUID();
    String id =
        Api.post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");
    assertThat(Database.single("SELECT count(*) FROM user_keys WHERE user_id = ?", user))
        .isEqualTo(1L);
    // A backup taken now: the row as the database holds it.
    String patterns = stored("memories", "patterns", id);
    Object[] row = {id, Database.single("SELECT created_at FROM memories WHERE id = ?::uuid", id)};

    assertThat(PRIVACY_OFFICER.delete("/api/privacy/users/" + user, null).status()).isEqualTo(200);
    assertThat(Database.single("SELECT count(*) FROM user_keys WHERE user_id = ?", user))
        .isEqualTo(0L);

    // Restoring that copy brings the sealed bytes back, but nothing can open them any more.
    Database.single(
        "INSERT INTO memories (id, created_at, version, user_id, type, strength, patterns, timestamp)"
            + " VALUES (?::uuid, ?, 1, ?, 'success_pattern', 0.8, ?::jsonb, now()) RETURNING 1",
        row[0],
        row[1],
        user,
        patterns);
    Api.Reply read = Api.get("/api/collections/memories/" + id);
    assertThat(read.status()).as(read.toString()).isEqualTo(410);
    assertThat(read.raw().body()).doesNotContain("calm-after-walk");
  }
}
