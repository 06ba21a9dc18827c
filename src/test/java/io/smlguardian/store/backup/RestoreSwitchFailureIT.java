package io.smlguardian.store.backup;

import static io.smlguardian.store.backup.MongoRestoreState.documents;
import static io.smlguardian.store.backup.MongoRestoreState.stagedDocuments;
import static io.smlguardian.store.backup.MongoRestoreState.switchRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A MongoDB restore's switch (collection after collection, not one transaction) that fails midway
 * without a crash never lets the server serve the half-switched store: the job fails and says the
 * switch is being completed; the service stays in maintenance (reads of records and writes answer
 * 503 with {@code Retry-After}, erasure is refused, {@code /api/status} names it, readiness is
 * down) while the switch's completion is retried in the background; once the database takes the
 * writes again, the completion succeeds and maintenance ends, with the store holding exactly the
 * backup's records.
 *
 * <p>The failure is made by MongoDB itself: before the restore, the test puts a unique index on
 * {@code userId} on the live interactions (switched after other collections), which the store's
 * documents then satisfy (one interaction per user) and the backup's do not (three of one user):
 * the switch deletes the old interactions, copies the first of the backup's in, and MongoDB refuses
 * the second (duplicate key). Dropping the index lets the next attempt complete the switch. Shown
 * on a second server with a MongoDB database of its own (on the build's MongoDB), so that its
 * maintenance disturbs no other test.
 */
@Tag("postgresql") // starts a server of its own: once per build is enough
@OnItsOwnServers
class RestoreSwitchFailureIT {

  /** The collections of records, each restored whole (the audit trail is not among them). */
  private static final List<String> RECORDS =
      List.of(
          "memories",
          "dream_cycles",
          "profile_snapshots",
          "emotional_states",
          "interactions",
          "sessions",
          "metrics");

  private static final String REFUSING_INDEX = "it_one_interaction_per_user";

  @Test
  void aSwitchThatFailsMidwayHoldsMaintenanceUntilItIsCompleted() throws Exception {
    Assumptions.assumeFalse(
        Boolean.getBoolean("guardian.backends.skip"), "the build's MongoDB is not up");
    String uri = System.getProperty("guardian.mongodb.uri");
    String database = "switch_failure_" + UUID.randomUUID().toString().substring(0, 8);
    String ownUri = uri.substring(0, uri.lastIndexOf('/') + 1) + database;
    Path root = Files.createTempDirectory(Path.of("target"), "switch-failure-").toAbsolutePath();
    try (MongoClient mongo = MongoClients.create(uri);
        SecondServer server =
            SecondServer.start(
                "guardianStore-switch-failure-mongodb",
                SecondServer.withOwnFilesIn(
                    root, Map.of("DB_BACKEND", "mongodb", "MONGO_URI", ownUri)))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReadiness(server, 200, Duration.ofMinutes(3));
      MongoDatabase db = mongo.getDatabase(database);
      BackupClient client = new BackupClient(server.baseUrl());
      Api.Client service = client.service();
      String base = server.baseUrl();

      // The backup: three interactions of one user, and a record in every other collection.
      String user = "switch-fail-" + UUID.randomUUID();
      List<String> backedUpInteractions =
          List.of(
              client.insert("interactions", Samples.record("interactions", user)).getString("id"),
              client.insert("interactions", Samples.record("interactions", user)).getString("id"),
              client.insert("interactions", Samples.record("interactions", user)).getString("id"));
      for (String collection : RECORDS) {
        if (!collection.equals("interactions")) {
          client.insert(collection, Samples.record(collection, user));
        }
      }
      String id = client.backUp().getString("backupId");
      Map<String, Map<BsonValue, BsonDocument>> backedUp = new LinkedHashMap<>();
      for (String collection : RECORDS) {
        backedUp.put(collection, documents(db.getCollection(collection)));
      }
      assertThat(backedUp.get("interactions")).hasSize(3);

      // The store then differs: the backup's interactions deleted, one of another user written,
      // and a memory only the store has.
      for (String interaction : backedUpInteractions) {
        Api.Reply deleted =
            service.delete(base + "/api/collections/interactions/" + interaction, null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
      }
      String other = "switch-fail-other-" + UUID.randomUUID();
      String onlyBefore =
          client.insert("interactions", Samples.record("interactions", other)).getString("id");
      String memoryOnlyBefore =
          client.insert("memories", Samples.record("memories", other)).getString("id");

      // MongoDB refuses a second interaction of one user: the switch fails within interactions.
      MongoCollection<Document> interactions = db.getCollection("interactions");
      interactions.createIndex(
          Indexes.ascending("userId"), new IndexOptions().unique(true).name(REFUSING_INDEX));
      try {
        JsonObject job = client.restore(id, true);
        assertThat(job.getString("status")).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.getString("exitStatus"))
            .as(job.toString())
            .contains("switch failed")
            .contains("stays in maintenance while it is completed");

        // Half switched: collections before the interactions switched, the interactions not.
        BsonDocument plan = switchRecord(db).orElseThrow().getDocument("plan");
        List<String> switched =
            plan.getArray("switched").stream().map(s -> s.asString().getValue()).toList();
        assertThat(switched).as("switched before the failure").isNotEmpty();
        assertThat(switched).doesNotContain("interactions");
        assertThat(documents(interactions).keySet())
            .as("the interactions at the failure: the old gone, the backup's not all in")
            .hasSizeLessThan(3)
            .isSubsetOf(backedUp.get("interactions").keySet());
        assertThat(db.getCollection("interactions_staging").countDocuments()).isEqualTo(3);

        // A retry has failed too (the index is still there): the service is in maintenance.
        assertThat(
                server.awaitLog(
                    Duration.ofSeconds(60), "to complete the restore's failed switch failed"))
            .contains("Attempt 1 to complete the restore's failed switch failed");
        assertInMaintenance(client, service, base, backedUpInteractions.get(0), user);
        assertThat(switchRecord(db)).as("the switch's record, kept").isPresent();
      } finally {
        interactions.dropIndex(REFUSING_INDEX); // the database takes the writes again
      }

      // A later attempt completes the switch; maintenance ends.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Api.Reply read;
      do {
        Thread.sleep(500);
        read = service.get(base + "/api/collections/interactions/" + backedUpInteractions.get(0));
      } while (read.status() == 503 && System.nanoTime() < deadline);
      assertThat(read.status()).as(read.toString()).isEqualTo(200);
      awaitReadiness(server, 200, Duration.ofSeconds(10));
      for (String collection : RECORDS) {
        assertThat(documents(db.getCollection(collection)))
            .as(collection + ": every record as backed up, none other")
            .isEqualTo(backedUp.get(collection));
      }
      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(3);
      assertThat(client.count("interactions", "userId=eq." + Api.q(other))).isZero();
      assertThat(service.get(base + "/api/collections/interactions/" + onlyBefore).status())
          .isEqualTo(404);
      assertThat(service.get(base + "/api/collections/memories/" + memoryOnlyBefore).status())
          .isEqualTo(404);
      assertThat(switchRecord(db)).as("the switch's record, forgotten").isEmpty();
      assertThat(stagedDocuments(db)).as("staging emptied").isZero();
      assertThat(
              db.getCollection("access_logs")
                  .countDocuments(
                      Filters.and(
                          Filters.eq("operation", "restore " + id), Filters.eq("success", false))))
          .as("the failed restore, audited")
          .isOne();
      assertThat(
              db.getCollection("access_logs")
                  .countDocuments(
                      Filters.and(
                          Filters.eq("operation", "restore " + id),
                          Filters.eq("success", true),
                          Filters.regex("reason", "completedAfterInterruption"))))
          .as("the restore's receipt, recorded by the completion")
          .isOne();
      JsonObject ledger =
          Api.as(TestTokens.token("it-switch-failure-auditor", "auditor"))
              .get(base + "/api/audit/ledger/verification")
              .object();
      assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
      JsonObject status = client.get("/api/status").object();
      assertThat(status.containsKey("maintenance")).as(status.toString()).isFalse();
      client.insert("interactions", Samples.record("interactions", other)); // writes taken again
    } finally {
      try (MongoClient mongo = MongoClients.create(uri)) {
        mongo.getDatabase(database).drop();
      }
    }
  }

  /**
   * Reads of records and writes answer 503 problem+json with Retry-After, erasure is refused, the
   * status names the maintenance, and the service is not ready.
   */
  private static void assertInMaintenance(
      BackupClient client, Api.Client service, String base, String record, String user)
      throws InterruptedException {
    List<Api.Reply> refused =
        List.of(
            service.get(base + "/api/collections/interactions/" + record),
            service.post(
                base + "/api/collections/memories", Samples.record("memories", "maintenance")),
            Api.as(TestTokens.token("it-switch-failure-officer", "privacy-officer"))
                .delete(base + "/api/privacy/users/" + user, null));
    for (Api.Reply reply : refused) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
      assertThat(reply.header("Retry-After")).as(reply.toString()).isEqualTo("5");
      assertThat(reply.contentType()).as(reply.toString()).isEqualTo("application/problem+json");
      assertThat(reply.object().getString("detail")).as(reply.toString()).contains("maintenance");
    }
    JsonObject status = client.get("/api/status").object();
    assertThat(status.getString("maintenance"))
        .as(status.toString())
        .isEqualTo("completing a restore's switch that failed midway");
    Api.Reply ready = Api.anonymous().get(serverUrl(base) + "/health/ready");
    assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
    assertThat(
            ready.object().getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("maintenance"))
                .map(c -> c.getString("status")))
        .as(ready.toString())
        .containsExactly("DOWN");
  }

  private static String serverUrl(String base) {
    return base.substring(0, base.lastIndexOf('/'));
  }

  private static void awaitReadiness(SecondServer server, int status, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Api.Reply last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = Api.anonymous().get(server.serverUrl() + "/health/ready");
        if (last.status() == status) {
          return;
        }
      } catch (java.io.UncheckedIOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("readiness did not answer " + status + ": " + last);
  }
}
