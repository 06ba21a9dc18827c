package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.collection.CollectionDescriptor;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A restore's switch as the store records it before its first write ({@link
 * io.smlguardian.store.collection.BulkStore#recordSwitch}), with how far it got: everything needed
 * to complete it from the staging copies after a crash, and to record the restore as the restore
 * itself would have (its audit ledger's plan, who asked, whether the archive was unencrypted).
 *
 * @param auditUnplaced whether the store's audit entries were taken out of their blocks already (a
 *     step that must not run again once the archive's entries are in: it would take those out too)
 * @param switched the collections switched in so far, in order; each of the others is switched in
 *     (again) from its staging copy, which a switch step allows ({@link
 *     io.smlguardian.store.collection.BulkStore#switchStaged})
 */
public record PendingSwitch(
    String backupId,
    String startedBy,
    boolean replace,
    boolean unencrypted,
    AuditLedger.RestorePlan audit,
    List<StoreLoader.Switch> switches,
    boolean auditUnplaced,
    List<String> switched) {

  public PendingSwitch {
    switches = List.copyOf(switches);
    switched = List.copyOf(switched);
  }

  /** Whether the store's audit entries are to be taken out of their blocks first. */
  boolean unplaceAudit() {
    return !audit.keepCurrent();
  }

  PendingSwitch withAuditUnplaced() {
    return new PendingSwitch(
        backupId, startedBy, replace, unencrypted, audit, switches, true, switched);
  }

  PendingSwitch withSwitched(CollectionDescriptor<?> collection) {
    List<String> done = new ArrayList<>(switched);
    done.add(collection.name());
    return new PendingSwitch(
        backupId, startedBy, replace, unencrypted, audit, switches, auditUnplaced, done);
  }

  boolean isSwitched(CollectionDescriptor<?> collection) {
    return switched.contains(collection.name());
  }

  String toJson() {
    JsonArrayBuilder planned = Json.createArrayBuilder();
    for (StoreLoader.Switch s : switches) {
      JsonObjectBuilder one =
          Json.createObjectBuilder()
              .add("collection", s.collection().name())
              .add("replace", s.replace())
              .add("erasable", s.erasable());
      if (s.keepSince() != null) {
        one.add("keepSince", s.keepSince().toString());
      }
      planned.add(one);
    }
    return Json.createObjectBuilder()
        .add("backupId", backupId)
        .add("startedBy", startedBy)
        .add("replace", replace)
        .add("unencrypted", unencrypted)
        .add(
            "audit",
            Json.createObjectBuilder()
                .add("keepCurrent", audit.keepCurrent())
                .add("archivedBlock", audit.archivedBlock())
                .add("anchoredBlock", audit.anchoredBlock()))
        .add("switches", planned)
        .add("auditUnplaced", auditUnplaced)
        .add("switched", Json.createArrayBuilder(switched))
        .build()
        .toString();
  }

  /**
   * The switch a {@link #toJson} recorded.
   *
   * @param collections the collection of each name a backup may hold
   * @throws IllegalStateException when the record names a collection this service lacks
   */
  static PendingSwitch parse(
      String json, Function<String, java.util.Optional<CollectionDescriptor<?>>> collections) {
    JsonObject o = Json.createReader(new StringReader(json)).readObject();
    List<StoreLoader.Switch> switches = new ArrayList<>();
    for (JsonValue value : o.getJsonArray("switches")) {
      JsonObject s = value.asJsonObject();
      String name = s.getString("collection");
      switches.add(
          new StoreLoader.Switch(
              collections
                  .apply(name)
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "the recorded switch names " + name + ", not a collection here")),
              s.getBoolean("replace"),
              s.containsKey("keepSince") ? Instant.parse(s.getString("keepSince")) : null,
              s.getBoolean("erasable")));
    }
    JsonObject audit = o.getJsonObject("audit");
    return new PendingSwitch(
        o.getString("backupId"),
        o.getString("startedBy"),
        o.getBoolean("replace"),
        o.getBoolean("unencrypted"),
        new AuditLedger.RestorePlan(
            audit.getBoolean("keepCurrent"),
            audit.getJsonNumber("archivedBlock").longValue(),
            audit.getJsonNumber("anchoredBlock").longValue()),
        switches,
        o.getBoolean("auditUnplaced"),
        o.getJsonArray("switched").getValuesAs(JsonString.class).stream()
            .map(JsonString::getString)
            .toList());
  }
}
