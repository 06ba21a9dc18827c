package io.smlguardian.store.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smlguardian.store.security.Caller;
import io.smlguardian.store.testsupport.Deployments;
import io.smlguardian.store.testsupport.Jdbc;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves, inside the running server and against the real PostgreSQL, that the {@link RecordService}
 * bean the application uses stores what it says it stores:
 *
 * <ul>
 *   <li>a record inserted through the service is a row whose id is a {@code uuid}, whose times are
 *       {@code timestamptz} holding the exact instant given (to the microsecond, whatever offset it
 *       was written with), and whose free-form JSON is {@code jsonb} equal in meaning to what was
 *       sent;
 *   <li>find, query, count, update (with and without a stale version) and delete act on the rows
 *       themselves, as plain JDBC sees them after commit;
 *   <li>an insert of several records of which one is invalid stores none of them;
 *   <li>two transactions that both read version N of a record and then update it cannot both win:
 *       exactly one commits, the other gets a {@link VersionConflictException}, and the row ends at
 *       version N + 1 with the winner's change.
 * </ul>
 *
 * Every test works on records of its own random user id, so it neither sees nor disturbs data of
 * other tests or of the application deployed beside it.
 */
@ExtendWith(ArquillianExtension.class)
class RecordServiceIT {

  /** The in-container tests act as an internal service, which may touch any record. */
  private static final Caller SERVICE = Caller.system("in-container-test");

  @Deployment
  static WebArchive deployment() {
    return Deployments.guardianStore(
        "record-service-it",
        RecordServiceIT.class,
        ConcurrentWriter.class,
        ConcurrentWriter.Outcome.class);
  }

  @Inject RecordService records;

  @Inject ConcurrentWriter writer;

  @Test
  void insertStoresUuidTimestamptzAndJsonbThatRoundTrip() {
    String userId = newUserId();
    // Keys deliberately out of jsonb's canonical order (shorter keys first), nested values of
    // every JSON kind: jsonb will reorder them, so only a comparison by meaning is fair.
    JsonObject patterns =
        Json.createObjectBuilder()
            .add("zebra", Json.createArrayBuilder().add(1).add("two").add(JsonValue.TRUE))
            .add("ant", Json.createObjectBuilder().add("depth", 3).add("note", "ünïcode"))
            .add("nothing", JsonValue.NULL)
            .build();
    // Written with a +02:00 offset and microseconds: the stored instant must be the same point in
    // time, not the same wall-clock digits in some other zone.
    Instant when = Instant.parse("2026-03-14T13:09:26.535897Z");

    RecordView inserted =
        records.insert(
            SERVICE,
            "memories",
            Json.createObjectBuilder()
                .add("userId", userId)
                .add("type", "success_pattern")
                .add("strength", 0.75)
                .add("patterns", patterns)
                .add("timestamp", "2026-03-14T15:09:26.535897+02:00")
                .build());

    Map<String, Object> row =
        Jdbc.row(
                "SELECT id, created_at, timestamp, patterns::text AS patterns, version, user_id,"
                    + " strength, pg_typeof(id)::text AS id_type,"
                    + " pg_typeof(created_at)::text AS created_at_type,"
                    + " pg_typeof(timestamp)::text AS timestamp_type,"
                    + " pg_typeof(patterns)::text AS patterns_type,"
                    + " jsonb_typeof(patterns) AS patterns_json_type,"
                    + " patterns = CAST(? AS jsonb) AS patterns_equal,"
                    + " timestamp = CAST(? AS timestamptz) AS timestamp_equal,"
                    + " metadata IS NULL AS metadata_null"
                    + " FROM memories WHERE id = ?",
                patterns.toString(),
                "2026-03-14T13:09:26.535897Z",
                inserted.id())
            .orElseThrow(() -> new AssertionError("no row for " + inserted.id()));

    assertEquals("uuid", row.get("id_type"));
    assertEquals(inserted.id(), row.get("id"));
    assertEquals("timestamp with time zone", row.get("timestamp_type"));
    assertEquals("timestamp with time zone", row.get("created_at_type"));
    assertEquals("jsonb", row.get("patterns_type"));
    // Memories are sensitive: their free-form content is stored sealed, as a JSON string.
    assertEquals("string", row.get("patterns_json_type"));

    // The exact instant, to the microsecond, both as JDBC reads it and as PostgreSQL compares it.
    assertEquals(when, ((Timestamp) row.get("timestamp")).toInstant());
    assertEquals(Boolean.TRUE, row.get("timestamp_equal"));
    // created_at is the store's: what the service answered is what the row holds.
    assertEquals(
        Instant.parse(JsonBodies.object(inserted.json()).getString("createdAt")),
        ((Timestamp) row.get("created_at")).toInstant());

    assertTrue(((String) row.get("patterns")).startsWith("\"gse1:"));
    assertEquals(Boolean.FALSE, row.get("patterns_equal"));
    assertEquals(Boolean.TRUE, row.get("metadata_null"));

    assertEquals(inserted.version(), ((Number) row.get("version")).longValue());
    assertEquals(userId, row.get("user_id"));
    assertEquals(0.75, ((Number) row.get("strength")).doubleValue());

    // Read back through the service (a new transaction, a fresh load): the same record.
    RecordView found = records.find(SERVICE, "memories", inserted.id(), null);
    assertEquals(inserted.json(), found.json());
    JsonObject json = JsonBodies.object(found.json());
    assertEquals(patterns, json.get("patterns"));
    assertEquals(when.toString(), json.getString("timestamp"));
  }

  @Test
  void findCountUpdateAndDeleteActOnTheStoredRows() {
    String userId = newUserId();
    JsonObject insights =
        Json.createObjectBuilder().add("themes", Json.createArrayBuilder().add("flight")).build();
    List<RecordView> inserted =
        records.insertAll(
            SERVICE,
            "dream_cycles",
            List.of(
                dreamCycle(userId, "cycle-1", "2026-01-01T02:00:00Z"),
                dreamCycle(userId, "cycle-2", "2026-01-02T02:00:00Z")));
    assertEquals(2, inserted.size());
    assertEquals(2, Jdbc.countOwned("dream_cycles", userId));
    assertEquals(2, records.count(SERVICE, "dream_cycles", ownedBy(userId)));

    // A query sees both, newest first (the collection's default order).
    RecordPage page = records.find(SERVICE, "dream_cycles", ownedBy(userId));
    assertEquals(
        List.of("cycle-2", "cycle-1"),
        page.items().stream().map(json -> JsonBodies.object(json).getString("cycleId")).toList());

    // Update with the current version: the row changes, its version advances by one.
    RecordView first = inserted.get(0);
    RecordView updated =
        records.update(
            SERVICE,
            "dream_cycles",
            first.id(),
            first.version(),
            Json.createObjectBuilder()
                .add("schedule", "nightly")
                .add("insights", insights)
                .build());
    assertEquals(first.version() + 1, updated.version());
    Map<String, Object> row =
        Jdbc.row(
                "SELECT version, schedule, insights = CAST(? AS jsonb) AS insights_equal,"
                    + " pg_typeof(insights)::text AS insights_type"
                    + " FROM dream_cycles WHERE id = ?",
                insights.toString(),
                first.id())
            .orElseThrow();
    assertEquals(first.version() + 1, ((Number) row.get("version")).longValue());
    assertEquals("nightly", row.get("schedule"));
    assertEquals("jsonb", row.get("insights_type"));
    // Dream cycles are sensitive: stored sealed, returned clear.
    assertEquals(Boolean.FALSE, row.get("insights_equal"));
    assertEquals(insights, JsonBodies.object(updated.json()).get("insights"));

    // The version the caller last saw is now stale: refused, and the row is left as it was.
    assertThrows(
        VersionConflictException.class,
        () ->
            records.update(
                SERVICE,
                "dream_cycles",
                first.id(),
                first.version(),
                Json.createObjectBuilder().add("schedule", "never").build()));
    assertEquals(
        "nightly",
        Jdbc.row("SELECT schedule FROM dream_cycles WHERE id = ?", first.id())
            .orElseThrow()
            .get("schedule"));

    // Delete: the row is gone, the other one stays.
    records.delete(SERVICE, "dream_cycles", first.id(), updated.version());
    assertTrue(Jdbc.row("SELECT id FROM dream_cycles WHERE id = ?", first.id()).isEmpty());
    assertEquals(1, Jdbc.countOwned("dream_cycles", userId));
    assertEquals(1, records.count(SERVICE, "dream_cycles", ownedBy(userId)));
    assertThrows(
        RecordNotFoundException.class,
        () -> records.find(SERVICE, "dream_cycles", first.id(), null));
  }

  @Test
  void insertAllWithOneInvalidRecordStoresNone() {
    String userId = newUserId();
    List<JsonObject> batch =
        List.of(
            memory(userId, 0.1),
            memory(userId, 0.2),
            memory(userId, 7.0), // strength must lie in 0..1
            memory(userId, 0.4));

    InvalidRequestException refused =
        assertThrows(
            InvalidRequestException.class, () -> records.insertAll(SERVICE, "memories", batch));

    assertTrue(
        refused.errors().stream().anyMatch(e -> e.startsWith("strength:")),
        () -> "errors: " + refused.errors());
    assertEquals(0, Jdbc.countOwned("memories", userId));
  }

  @Test
  void concurrentUpdatesOfTheSameVersionLetExactlyOneWin() throws Exception {
    String userId = newUserId();
    RecordView original = records.insert(SERVICE, "memories", memory(userId, 0.5));
    long n = original.version();
    // Both writers must have read version N before either writes; the barrier holds each one
    // between its read and its write until the other has read too. So the conflict is decided
    // by the database (UPDATE ... WHERE version = N), not by the service's early version check.
    CyclicBarrier bothHaveRead = new CyclicBarrier(2);

    List<Future<ConcurrentWriter.Outcome>> running =
        List.of(
            writer.readThenUpdate(original.id(), n, 0.1, bothHaveRead),
            writer.readThenUpdate(original.id(), n, 0.9, bothHaveRead));
    List<ConcurrentWriter.Outcome> outcomes = new ArrayList<>();
    for (Future<ConcurrentWriter.Outcome> outcome : running) {
      outcomes.add(outcome.get(60, TimeUnit.SECONDS));
    }

    List<Long> committed =
        outcomes.stream()
            .map(ConcurrentWriter.Outcome::committedVersion)
            .filter(Objects::nonNull)
            .toList();
    List<RuntimeException> conflicts =
        outcomes.stream().map(ConcurrentWriter.Outcome::failure).filter(Objects::nonNull).toList();
    assertEquals(List.of(n + 1), committed, () -> "outcomes: " + outcomes);
    assertEquals(1, conflicts.size(), () -> "outcomes: " + outcomes);
    assertInstanceOf(VersionConflictException.class, conflicts.get(0));
    // Both had passed the service's own version check (each had read N), so the loser must have
    // been stopped by JPA's versioned UPDATE, which JpaRecordStore reports in these words.
    assertTrue(
        conflicts.get(0).getMessage().contains("was changed concurrently"),
        conflicts.get(0).getMessage());

    Map<String, Object> row =
        Jdbc.row("SELECT version, strength FROM memories WHERE id = ?", original.id())
            .orElseThrow();
    assertEquals(n + 1, ((Number) row.get("version")).longValue());
    double stored = ((Number) row.get("strength")).doubleValue();
    assertTrue(stored == 0.1 || stored == 0.9, "strength is one writer's: " + stored);
    RecordView reread = records.find(SERVICE, "memories", original.id(), null);
    assertEquals(stored, JsonBodies.object(reread.json()).getJsonNumber("strength").doubleValue());
  }

  private static JsonObject memory(String userId, double strength) {
    return Json.createObjectBuilder()
        .add("userId", userId)
        .add("type", "it_probe")
        .add("strength", strength)
        .add("timestamp", "2026-02-01T10:00:00Z")
        .build();
  }

  private static JsonObject dreamCycle(String userId, String cycleId, String timestamp) {
    return Json.createObjectBuilder()
        .add("userId", userId)
        .add("cycleId", cycleId)
        .add("memories", Json.createArrayBuilder().add("m-1").add("m-2"))
        .add("timestamp", timestamp)
        .build();
  }

  private static Map<String, List<String>> ownedBy(String userId) {
    return Map.of("userId", List.of("eq." + userId));
  }

  private static String newUserId() {
    return "it-" + UUID.randomUUID();
  }
}
