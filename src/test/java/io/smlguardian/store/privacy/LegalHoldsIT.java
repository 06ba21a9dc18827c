package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.PurgeRuns;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Legal holds against retention and erasure: every hold is honoured by the purge, however many
 * there are, and a hold placed while its user is being erased is never bypassed.
 */
class LegalHoldsIT {

  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-holds-officer", "privacy-officer"));
  private static final Api.Client OPERATOR =
      Api.as(TestTokens.token("it-holds-operator", "operator"));

  /** The holds placed by SQL: more than the purge ever honoured before (10,000). */
  private static final int MANY = 10_000;

  /**
   * 10,000 holds older than any other, then the 10,001st through the API: the newest held user's
   * expired record survives the purge, a free user's does not. (The holds go in by SQL, so this
   * runs where the test reaches the database: PostgreSQL and SQLite.)
   */
  @Test
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "memory|mongodb",
      disabledReason = "the test inserts the holds with SQL into PostgreSQL or the SQLite file")
  void withTenThousandAndOneHoldsTheNewestHeldUsersExpiredRecordsSurviveAPurge() throws Exception {
    String batch = "many-holds-" + UUID.randomUUID() + "-";
    insertHolds(batch, MANY);
    String held = "held-newest-" + UUID.randomUUID();
    try {
      assertThat(holds(batch)).isEqualTo(MANY);
      purgeKeepsOnlyTheHeldUsersExpiredRecord(held);
    } finally {
      OFFICER.delete("/api/privacy/users/" + held + "/hold", null);
      deleteHolds(batch);
    }
  }

  /**
   * The same with one hold, on every backend (MongoDB looks the held owners up rather than joining
   * them: see docs/privacy.md).
   */
  @Test
  void aHeldUsersExpiredRecordSurvivesAPurgeOnEveryBackend() throws Exception {
    String held = "held-" + UUID.randomUUID();
    try {
      purgeKeepsOnlyTheHeldUsersExpiredRecord(held);
    } finally {
      OFFICER.delete("/api/privacy/users/" + held + "/hold", null);
    }
  }

  /**
   * An expired record of the user, held through the API (so the newest hold of all), and one of a
   * free user; a purge deletes the free user's only.
   */
  private static void purgeKeepsOnlyTheHeldUsersExpiredRecord(String held) {
    String free = "free-" + UUID.randomUUID();
    Instant old = Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
    List<String> ids = new ArrayList<>();
    for (String user : List.of(held, free)) {
      Api.Reply stored =
          Api.post(
              "/api/collections/emotional_states",
              Json.createObjectBuilder(Samples.record("emotional_states", user))
                  .add("timestamp", old.toString())
                  .build());
      assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
      ids.add(stored.object().getString("id"));
    }
    assertThat(placeHold(held).status()).isEqualTo(200);

    PurgeRuns runs = new PurgeRuns(OPERATOR);
    runs.awaitNoRun();
    Api.Reply started = OPERATOR.post("/api/retention/runs", "");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    JsonObject run = runs.await(started.object().getJsonNumber("executionId").longValue());
    assertThat(run.getString("status")).as(run.toString()).isEqualTo("COMPLETED");

    assertThat(Stored.count("emotional_states", "id=eq." + ids.get(0))).isEqualTo(1);
    assertThat(Stored.count("emotional_states", "id=eq." + ids.get(1))).isZero();
  }

  /**
   * A hold and an erasure of the same user, sent at the same moment, for many users in several
   * rounds: either the erasure is refused (409) and the user's records stay, or it ran first and
   * the hold was placed after it had ended. Never both at once: an erasure that missed a hold
   * placed while it ran. On every backend: on MongoDB, which has no transactions, the two take
   * turns on a lock of the instance (see docs/privacy.md); without it, some of the pairs race
   * through.
   */
  @Test
  void aHoldPlacedWhileItsUserIsErasedIsNeverBypassed() throws Exception {
    for (int round = 0; round < 3; round++) {
      holdsAndErasuresTogether(12, 300);
    }
  }

  private static void holdsAndErasuresTogether(int users, int records) throws Exception {
    List<String> names = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String user = "race-" + UUID.randomUUID();
      JsonArrayBuilder many = Json.createArrayBuilder();
      for (int r = 0; r < records; r++) {
        many.add(Samples.record("interactions", user));
      }
      store(many.build());
      names.add(user);
    }
    sync();
    for (String user : names) {
      assertThat(Stored.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(records);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2 * users);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Api.Reply>> holds = new ArrayList<>();
      List<Future<Api.Reply>> erasures = new ArrayList<>();
      for (String user : names) {
        erasures.add(
            pool.submit(
                () -> {
                  go.await();
                  return OFFICER.delete("/api/privacy/users/" + user, null);
                }));
        holds.add(
            pool.submit(
                () -> {
                  go.await();
                  return placeHold(user);
                }));
      }
      go.countDown();
      for (int u = 0; u < users; u++) {
        String user = names.get(u);
        Api.Reply hold = holds.get(u).get();
        Api.Reply erasure = erasures.get(u).get();
        assertThat(hold.status()).as(hold.toString()).isEqualTo(200);
        assertThat(erasure.status()).as(erasure.toString()).isIn(200, 409);
        long left = Stored.count("interactions", "userId=eq." + Api.q(user));
        if (erasure.status() == 409) {
          assertThat(left).as(user).isEqualTo(records);
        } else {
          assertThat(left).as(user).isZero();
          Instant placed = Instant.parse(hold.object().getString("placedAt"));
          Instant erased = Instant.parse(erasure.object().getString("erasedAt"));
          assertThat(placed).as("%s: hold placed while the erasure ran", user).isAfter(erased);
        }
      }
    } finally {
      pool.shutdownNow();
      for (String user : names) {
        OFFICER.delete("/api/privacy/users/" + user + "/hold", null);
      }
    }
  }

  /**
   * Stores the records at once; where a backend cannot store an array all or nothing (MongoDB
   * answers 501), through the write-behind ingest, which {@link #sync} lands.
   */
  private static void store(jakarta.json.JsonArray records) {
    Api.Reply stored = Api.post("/api/collections/interactions", records);
    if (stored.status() == 501) {
      stored = Api.post("/api/ingest/interactions", records);
      assertThat(stored.status()).as(stored.toString()).isEqualTo(202);
    } else {
      assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
    }
  }

  /** Lands what the ingest acknowledged (nothing where nothing went through it). */
  private static void sync() {
    Api.Reply sync = Api.post("/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
  }

  private static Api.Reply placeHold(String user) {
    return OFFICER.send(
        "PUT", "/api/privacy/users/" + user + "/hold", "application/json", "{\"reason\":\"it\"}");
  }

  /** Holds on {@code count} users named {@code prefix<n>}, placed a day ago, in one transaction. */
  private static void insertHolds(String prefix, int count) throws SQLException {
    Instant placed = Instant.now().minus(1, ChronoUnit.DAYS);
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO legal_holds (id, created_at, version, user_id, reason, placed_by)"
                  + " VALUES (?, ?, 1, ?, 'litigation', 'it-holds-officer')")) {
        for (int i = 0; i < count; i++) {
          UUID id = UUID.randomUUID();
          Instant at = placed.plusMillis(i);
          if (sqlite()) {
            insert.setString(1, id.toString());
            insert.setLong(2, at.getEpochSecond() * 1_000_000 + at.getNano() / 1000);
          } else {
            insert.setObject(1, id);
            insert.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
          }
          insert.setString(3, prefix + i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
    }
  }

  private static long holds(String prefix) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement count =
            connection.prepareStatement("SELECT count(*) FROM legal_holds WHERE user_id LIKE ?")) {
      count.setString(1, prefix + "%");
      try (var result = count.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static void deleteHolds(String prefix) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM legal_holds WHERE user_id LIKE ?")) {
      delete.setString(1, prefix + "%");
      delete.executeUpdate();
    }
  }

  private static boolean sqlite() {
    return Stored.BACKEND.equals("sqlite");
  }

  /**
   * PostgreSQL as the build runs it; SQLite: the server's database file, as another process writes
   * it (WAL, waiting for the server's writes).
   */
  private static Connection connect() throws SQLException {
    if (!sqlite()) {
      return Database.connect();
    }
    Path file =
        Path.of(System.getProperty("guardian.backupDir"))
            .resolveSibling("data")
            .resolve("sml_guardian.db");
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 30000");
    }
    return connection;
  }
}
