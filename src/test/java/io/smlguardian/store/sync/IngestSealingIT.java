package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ingested records are sealed as the synchronous insert seals them: their sensitive fields are
 * sealed text in the database itself, and clear through the API.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class IngestSealingIT {

  private static String stored(String table, String column, String id) {
    return String.valueOf(
        Database.single("SELECT " + column + "::text FROM " + table + " WHERE id = ?::uuid", id));
  }

  @Test
  void sensitiveFieldsOfIngestedRecordsAreSealedInTheDatabaseAndClearThroughTheApi() {
    String user = "ingest-sealed-" + UUID.randomUUID();
    Api.Client operator = Api.as(TestTokens.token("it-ingest-operator", "operator"));
    for (var entry :
        Map.of(
                "memories", List.of("patterns", "metadata"),
                "dream_cycles", List.of("memories", "simulations", "insights"),
                "profile_snapshots", List.of("dimensions", "insights"))
            .entrySet()) {
      String collection = entry.getKey();
      JsonObject sample = Samples.record(collection, user);
      Api.Reply accepted = Api.post("/api/ingest/" + collection, sample);
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      String id = accepted.object().getJsonArray("ids").getString(0);
      assertThat(operator.post("/api/sync", "").status()).isEqualTo(200);

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
  void aBatchOfSeveralUsersMemoriesIsSealedUnderEachOwnersOwnKey() {
    String prefix = "ingest-owners-" + UUID.randomUUID() + "-";
    List<String> users = List.of(prefix + "a", prefix + "b", prefix + "c");
    JsonArrayBuilder batch = Json.createArrayBuilder();
    users.forEach(user -> batch.add(Samples.record("memories", user)));
    Api.Reply accepted = Api.post("/api/ingest/memories", batch.build());
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonArray ids = accepted.object().getJsonArray("ids");
    Api.Client operator = Api.as(TestTokens.token("it-ingest-operator", "operator"));
    assertThat(operator.post("/api/sync", "").status()).isEqualTo(200);

    for (int i = 0; i < users.size(); i++) {
      String id = ids.getString(i);
      JsonObject read = Api.get("/api/collections/memories/" + id).object();
      assertThat(read.getString("userId")).isEqualTo(users.get(i));
      assertThat(read.get("patterns"))
          .isEqualTo(Samples.record("memories", users.get(i)).get("patterns"));
      // "gse1:<key id>:...": the key is the owner's own (each user's first, stored by the flush)
      String sealed = stored("memories", "patterns", id);
      String keyId = sealed.substring("\"gse1:".length(), sealed.indexOf(':', "\"gse1:".length()));
      assertThat(Database.single("SELECT user_id FROM user_keys WHERE id = ?::uuid", keyId))
          .isEqualTo(users.get(i));
    }
  }
}
