package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The read cache of reads by id ({@code PERSISTENCE_CACHE_SIZE}, issue 18) on the real server: a
 * repeated read is answered from it and audited each time, and it never answers with a record that
 * was changed, deleted or erased since it was cached, whoever changed it. Whether a read was a hit
 * is read from the operators' status ({@code readCache}); the test classes of one run take turns,
 * so nothing else reads meanwhile.
 */
class ReadCacheIT {

  private static final String BACKEND = System.getProperty("guardian.backend", "postgresql");
  private static final Api.Client OPERATOR =
      Api.as(TestTokens.token("it-cache-operator", "operator"));
  private static final Api.Client AUDITOR = Api.as(TestTokens.token("it-cache-auditor", "auditor"));
  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-cache-officer", "privacy-officer"));

  @BeforeAll
  static void ready() throws InterruptedException {
    Api.awaitReady();
  }

  private static JsonObject figures() {
    Api.Reply status = OPERATOR.get("/api/status");
    assertThat(status.status()).as(status.toString()).isEqualTo(200);
    return status.object().getJsonObject("readCache");
  }

  private static long hits() {
    return figures().getJsonNumber("hits").longValue();
  }

  private static String newUser() {
    return "cache-" + UUID.randomUUID();
  }

  private static String insert(String collection, String user) {
    Api.Reply created =
        Api.post("/api/collections/" + collection, Samples.record(collection, user));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.object().getString("id");
  }

  private static long auditedReads(String collection, String user) {
    Api.Reply count =
        AUDITOR.get(
            "/api/collections/access_logs/count?userId=eq."
                + Api.q(user)
                + "&collection=eq."
                + collection
                + "&operation=eq.read");
    assertThat(count.status()).as(count.toString()).isEqualTo(200);
    return count.object().getJsonNumber("count").longValue();
  }

  @Test
  void aRepeatedReadIsAnsweredFromTheCacheProjectedOrNotAndAuditedEachTime() {
    String user = newUser();
    String id = insert("memories", user);
    String path = "/api/collections/memories/" + id;
    Api.Reply first = Api.get(path); // from the database: fills the cache
    long hitsBefore = hits();

    Api.Reply second = Api.get(path);
    Api.Reply projected = Api.get(path + "?select=patterns,strength");

    assertThat(hits() - hitsBefore).isEqualTo(2);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.object()).isEqualTo(first.object());
    assertThat(second.header("ETag")).isEqualTo("\"1\"");
    assertThat(second.object().get("patterns"))
        .isEqualTo(Samples.record("memories", user).get("patterns")); // opened, not sealed
    assertThat(projected.object())
        .isEqualTo(
            Json.createObjectBuilder()
                .add("strength", first.object().get("strength"))
                .add("patterns", first.object().get("patterns"))
                .build());
    assertThat(auditedReads("memories", user)).isEqualTo(3);
  }

  @Test
  void theAuditTrailsEntriesAreNeverCachedSinceTheSealerChangesThemWithoutANewVersion() {
    String user = newUser();
    Api.get("/api/collections/memories/" + insert("memories", user));
    Api.Reply entries =
        AUDITOR.get("/api/collections/access_logs?userId=eq." + Api.q(user) + "&limit=1");
    String path =
        "/api/collections/access_logs/" + entries.items().getJsonObject(0).getString("id");
    assertThat(AUDITOR.get(path).status()).isEqualTo(200);
    long hitsBefore = hits();

    assertThat(AUDITOR.get(path).status()).isEqualTo(200);

    assertThat(hits()).isEqualTo(hitsBefore);
  }

  @Test
  void aReadAfterAnUpdateOrADeleteThroughTheApiIsNeverStale() {
    String user = newUser();
    String id = insert("memories", user);
    String path = "/api/collections/memories/" + id;
    Api.get(path);
    Api.get(path); // cached

    for (int version = 1; version <= 3; version++) {
      JsonObject change =
          Json.createObjectBuilder()
              .add("patterns", Json.createArrayBuilder().add("changed-" + version))
              .build();
      Api.Reply updated = Api.patch(path, change, "\"" + version + "\"");
      assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

      Api.Reply found = Api.get(path);
      Api.Reply again = Api.get(path);

      assertThat(found.header("ETag")).isEqualTo("\"" + (version + 1) + "\"");
      assertThat(found.object().get("patterns")).isEqualTo(change.get("patterns"));
      assertThat(again.object()).isEqualTo(found.object());
    }

    assertThat(Api.delete(path, null).status()).isEqualTo(204);
    assertThat(Api.get(path).status()).isEqualTo(404);
  }

  @Test
  void aUserNeverReadsAnotherUsersRecordFromTheCache() {
    String owner = newUser();
    String id = insert("memories", owner);
    String path = "/api/collections/memories/" + id;
    Api.get(path);
    Api.get(path); // cached, read by the service

    assertThat(Api.as(TestTokens.token(newUser(), "user")).get(path).status()).isEqualTo(404);
    Api.Reply own = Api.as(TestTokens.token(owner, "user")).get(path);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.object().getString("userId")).isEqualTo(owner);
  }

  @Test
  void anErasedUsersRecordIsNeverAnsweredFromTheCache() {
    String user = newUser();
    String id = insert("memories", user);
    String path = "/api/collections/memories/" + id;
    Api.get(path);
    assertThat(Api.get(path).status()).isEqualTo(200); // cached

    assertThat(OFFICER.delete("/api/privacy/users/" + user, null).status()).isEqualTo(200);

    assertThat(Api.get(path).status()).isEqualTo(404);
  }

  /**
   * Issue 18's test: "the cache serves no stale record after an update made through another server
   * instance on the same database". The other instance is this test, writing to the server's own
   * database as a second instance of the service would, rather than a second server (which would
   * cost a Liberty start per backend in CI): another instance reaches this one only through the
   * database, and what it writes there for an update is exactly this statement: the record's
   * columns, and its version advanced by one, where it is still at the version it read (the JPA
   * store's optimistic lock; the MongoDB store's update filtered on the version). Nothing tells
   * this server of the change but the database, as with a real second instance. The delete is the
   * statement another instance's delete, erasure or retention purge makes.
   *
   * <p>Not on the memory backend: its database lives inside the server, so no other instance can
   * share it.
   */
  @Test
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "memory",
      disabledReason =
          "an in-memory H2 database lives inside one server: no other instance shares it")
  void theCacheServesNoStaleRecordAfterAnUpdateMadeThroughAnotherServerInstanceOnTheSameDatabase()
      throws Exception {
    String user = newUser();
    UUID id = UUID.fromString(insert("interactions", user));
    String path = "/api/collections/interactions/" + id;
    Api.get(path);
    long hitsBefore = hits();
    assertThat(Api.get(path).object().getString("type")).isEqualTo("chat");
    assertThat(hits() - hitsBefore).as("the record is cached").isEqualTo(1);

    anotherInstanceUpdates(id, 1, "feedback");
    long hitsAfterUpdate = hits();

    Api.Reply found = Api.get(path);
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.object().getString("type")).isEqualTo("feedback");
    assertThat(found.header("ETag")).isEqualTo("\"2\"");
    // Not answered from the copy: found stale by its check (or, on a machine slow enough to take
    // KEY_CACHE_TTL since it was cached, expired: AuditGroupCommitTest checks the check alone).
    assertThat(hits()).as("not answered from the cached copy").isEqualTo(hitsAfterUpdate);
    assertThat(Api.get(path).object().getString("type")).isEqualTo("feedback");

    anotherInstanceDeletes(id);

    assertThat(Api.get(path).status()).isEqualTo(404);
  }

  private static void anotherInstanceUpdates(UUID id, long version, String type) throws Exception {
    if (BACKEND.equals("mongodb")) {
      try (MongoClient client = MongoClients.create(System.getProperty("guardian.mongodb.uri"))) {
        long updated =
            mongo(client)
                .updateOne(
                    Filters.and(Filters.eq("_id", id.toString()), Filters.eq("version", version)),
                    Updates.combine(Updates.set("type", type), Updates.set("version", version + 1)))
                .getModifiedCount();
        assertThat(updated).isEqualTo(1);
      }
      return;
    }
    try (Connection connection = connect();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE interactions SET type = ?, version = ? WHERE id = ? AND version = ?")) {
      update.setString(1, type);
      update.setLong(2, version + 1);
      update.setObject(3, BACKEND.equals("sqlite") ? id.toString() : id);
      update.setLong(4, version);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  private static void anotherInstanceDeletes(UUID id) throws Exception {
    if (BACKEND.equals("mongodb")) {
      try (MongoClient client = MongoClients.create(System.getProperty("guardian.mongodb.uri"))) {
        assertThat(mongo(client).deleteOne(Filters.eq("_id", id.toString())).getDeletedCount())
            .isEqualTo(1);
      }
      return;
    }
    try (Connection connection = connect();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM interactions WHERE id = ?")) {
      delete.setObject(1, BACKEND.equals("sqlite") ? id.toString() : id);
      assertThat(delete.executeUpdate()).isEqualTo(1);
    }
  }

  private static com.mongodb.client.MongoCollection<Document> mongo(MongoClient client) {
    String uri = System.getProperty("guardian.mongodb.uri");
    String database = uri.substring(uri.lastIndexOf('/') + 1).split("\\?")[0];
    return client.getDatabase(database).getCollection("interactions");
  }

  /** A connection of another writer to the server's database (auto-commit, as one statement). */
  private static Connection connect() throws SQLException {
    if (BACKEND.equals("sqlite")) {
      Path file =
          Path.of(System.getProperty("guardian.backupDir")).resolveSibling("data/sml_guardian.db");
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement pragma = connection.createStatement()) {
        pragma.execute("PRAGMA busy_timeout = 10000"); // the server may hold the write lock
      }
      return connection;
    }
    return Database.connect();
  }
}
