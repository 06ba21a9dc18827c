package io.smlguardian.store.ops;

import io.smlguardian.store.collection.RecordCache;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The service's status for operators: the backend and how it is reached, every collection's
 * records, storage and retention, the last backup and purge, and this instance's read cache.
 */
public record StoreStatus(
    Instant asOf,
    String backend,
    ConnectionStatus connection,
    List<CollectionStatus> collections,
    Optional<JobRun> lastBackup,
    Optional<JobRun> lastPurge,
    RecordCache.Figures readCache) {

  public JsonObject toJson() {
    JsonArrayBuilder collectionsJson = Json.createArrayBuilder();
    long records = 0;
    long bytes = 0;
    boolean allSized = true;
    for (CollectionStatus collection : collections) {
      collectionsJson.add(collection.toJson());
      records += collection.records();
      if (collection.storage().known()) {
        bytes += collection.storage().bytes();
      } else {
        allSized = false;
      }
    }
    JsonObjectBuilder totals =
        Json.createObjectBuilder()
            .add("records", records)
            .add("due", collections.stream().mapToLong(CollectionStatus::due).sum());
    if (allSized) {
      totals.add("storageBytes", bytes);
    } else {
      totals.addNull("storageBytes");
    }
    JsonObjectBuilder jobs = Json.createObjectBuilder();
    job(jobs, "lastBackup", lastBackup);
    job(jobs, "lastPurge", lastPurge);
    return Json.createObjectBuilder()
        .add("asOf", asOf.toString())
        .add("backend", backend)
        .add("connection", connection.toJson())
        .add("collections", collectionsJson)
        .add("totals", totals)
        .add("jobs", jobs)
        .add(
            "readCache",
            Json.createObjectBuilder()
                .add("capacity", readCache.capacity())
                .add("size", readCache.size())
                .add("hits", readCache.hits())
                .add("misses", readCache.misses())
                .add("stale", readCache.stale()))
        .build();
  }

  private static void job(JsonObjectBuilder json, String name, Optional<JobRun> run) {
    if (run.isPresent()) {
      json.add(name, run.get().toJson());
    } else {
      json.addNull(name);
    }
  }
}
