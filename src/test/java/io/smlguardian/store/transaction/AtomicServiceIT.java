package io.smlguardian.store.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smlguardian.store.collection.RecordNotFoundException;
import io.smlguardian.store.collection.RecordService;
import io.smlguardian.store.collection.RecordView;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.testsupport.Deployments;
import io.smlguardian.store.testsupport.Jdbc;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves, inside the running server and against the real PostgreSQL, that {@link
 * AtomicService#execute} is all or nothing across collections:
 *
 * <ul>
 *   <li>when a later operation fails (an update of a record that does not exist, or of a stale
 *       version), the inserts, updates and deletes before it, which the store had already flushed
 *       to PostgreSQL, are rolled back: plain JDBC afterwards finds no trace of them;
 *   <li>when every operation succeeds, all of them are committed together.
 * </ul>
 *
 * Operations are parsed by the service's own parser from the JSON the REST endpoint takes, and
 * every test owns its records through a random user id.
 */
@ExtendWith(ArquillianExtension.class)
class AtomicServiceIT {

  /** The in-container tests act as an internal service, which may touch any record. */
  private static final Caller SERVICE = Caller.system("in-container-test");

  @Deployment
  static WebArchive deployment() {
    return Deployments.guardianStore("atomic-service-it", AtomicServiceIT.class);
  }

  @Inject AtomicService atomic;

  @Inject RecordService records;

  @Test
  void laterFailureRollsBackEarlierInsertsInEveryCollection() {
    String userId = newUserId();
    UUID missing = UUID.randomUUID();
    List<AtomicOperation> operations =
        atomic.parse(
            request(
                insert("memories", memory(userId, 0.3)),
                insert("emotional_states", emotionalState(userId, "calm")),
                insert("memories", memory(userId, 0.6)),
                Json.createObjectBuilder()
                    .add("op", "update")
                    .add("collection", "memories")
                    .add("id", missing.toString())
                    .add("changes", Json.createObjectBuilder().add("strength", 0.9))
                    .build()));

    AtomicOperationException failed =
        assertThrows(AtomicOperationException.class, () -> atomic.execute(SERVICE, operations));

    assertEquals(3, failed.index());
    assertInstanceOf(RecordNotFoundException.class, failed.getCause());
    assertEquals(0, Jdbc.countOwned("memories", userId));
    assertEquals(0, Jdbc.countOwned("emotional_states", userId));
  }

  @Test
  void staleVersionRollsBackEarlierUpdatesAndDeletes() {
    String userId = newUserId();
    RecordView kept = records.insert(SERVICE, "memories", memory(userId, 0.2));
    RecordView other = records.insert(SERVICE, "emotional_states", emotionalState(userId, "joy"));
    List<AtomicOperation> operations =
        atomic.parse(
            request(
                update("memories", kept, Json.createObjectBuilder().add("strength", 0.8).build()),
                delete("emotional_states", other),
                insert("memories", memory(userId, 0.5)),
                // The first operation has just advanced this version: the same one is now stale.
                update("memories", kept, Json.createObjectBuilder().add("type", "late").build())));

    AtomicOperationException failed =
        assertThrows(AtomicOperationException.class, () -> atomic.execute(SERVICE, operations));

    assertEquals(3, failed.index());
    assertInstanceOf(VersionConflictException.class, failed.getCause());
    // Everything is as before the request: one memory at its first version, the state still there.
    assertEquals(1, Jdbc.countOwned("memories", userId));
    Map<String, Object> row =
        Jdbc.row("SELECT version, strength, type FROM memories WHERE id = ?", kept.id())
            .orElseThrow();
    assertEquals(kept.version(), ((Number) row.get("version")).longValue());
    assertEquals(0.2, ((Number) row.get("strength")).doubleValue());
    assertEquals("it_probe", row.get("type"));
    assertEquals(1, Jdbc.countOwned("emotional_states", userId));
  }

  @Test
  void allOperationsCommitTogetherWhenAllSucceed() {
    String userId = newUserId();
    RecordView toUpdate = records.insert(SERVICE, "memories", memory(userId, 0.2));
    RecordView toDelete =
        records.insert(SERVICE, "emotional_states", emotionalState(userId, "joy"));
    List<AtomicOperation> operations =
        atomic.parse(
            request(
                insert("memories", memory(userId, 0.4)),
                insert("emotional_states", emotionalState(userId, "calm")),
                update(
                    "memories", toUpdate, Json.createObjectBuilder().add("strength", 0.8).build()),
                delete("emotional_states", toDelete)));

    List<AtomicOperation.Result> results = atomic.execute(SERVICE, operations);

    assertEquals(
        List.of("insert", "insert", "update", "delete"),
        results.stream().map(AtomicOperation.Result::op).toList());
    assertEquals(2, Jdbc.countOwned("memories", userId));
    assertEquals(1, Jdbc.countOwned("emotional_states", userId));
    Map<String, Object> updated =
        Jdbc.row("SELECT version, strength FROM memories WHERE id = ?", toUpdate.id())
            .orElseThrow();
    assertEquals(toUpdate.version() + 1, ((Number) updated.get("version")).longValue());
    assertEquals(0.8, ((Number) updated.get("strength")).doubleValue());
    assertTrue(Jdbc.row("SELECT id FROM emotional_states WHERE id = ?", toDelete.id()).isEmpty());
    // The inserted rows are the ones the results name.
    UUID insertedState = results.get(1).id();
    assertEquals(
        "calm",
        Jdbc.row("SELECT emotion FROM emotional_states WHERE id = ?", insertedState)
            .orElseThrow()
            .get("emotion"));
  }

  private static JsonObject request(JsonObject... operations) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (JsonObject operation : operations) {
      array.add(operation);
    }
    return Json.createObjectBuilder().add("operations", array).build();
  }

  private static JsonObject insert(String collection, JsonObject record) {
    return Json.createObjectBuilder()
        .add("op", "insert")
        .add("collection", collection)
        .add("record", record)
        .build();
  }

  private static JsonObject update(String collection, RecordView record, JsonObject changes) {
    return Json.createObjectBuilder()
        .add("op", "update")
        .add("collection", collection)
        .add("id", record.id().toString())
        .add("version", record.version())
        .add("changes", changes)
        .build();
  }

  private static JsonObject delete(String collection, RecordView record) {
    return Json.createObjectBuilder()
        .add("op", "delete")
        .add("collection", collection)
        .add("id", record.id().toString())
        .add("version", record.version())
        .build();
  }

  private static JsonObject memory(String userId, double strength) {
    return Json.createObjectBuilder()
        .add("userId", userId)
        .add("type", "it_probe")
        .add("strength", strength)
        .add("timestamp", "2026-02-01T10:00:00Z")
        .build();
  }

  private static JsonObject emotionalState(String userId, String emotion) {
    return Json.createObjectBuilder()
        .add("userId", userId)
        .add("emotion", emotion)
        .add("intensity", 0.5)
        .add("timestamp", "2026-02-01T10:00:00Z")
        .build();
  }

  private static String newUserId() {
    return "it-" + UUID.randomUUID();
  }
}
