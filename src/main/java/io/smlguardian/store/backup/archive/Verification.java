package io.smlguardian.store.backup.archive;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * The outcome of checking an archive: per entry whether every checksum holds and, where one does
 * not, what is wrong and where.
 *
 * @param backupId the backup checked
 * @param valid whether everything holds
 * @param bytes the archive's size
 * @param entries one check per entry; empty when the archive could not be opened at all
 * @param problem what is wrong with the archive as a whole (unreadable, truncated), or null
 */
public record Verification(
    String backupId, boolean valid, long bytes, List<EntryCheck> entries, String problem) {

  /**
   * One entry's check.
   *
   * @param name the zip entry
   * @param collection its collection
   * @param records its records, as the manifest says
   * @param bytes its size, as the manifest says
   * @param problem what does not hold, with where; null when all does
   */
  public record EntryCheck(
      String name, String collection, long records, long bytes, String problem) {

    static EntryCheck ok(Manifest.Entry entry) {
      return new EntryCheck(entry.name(), entry.collection(), entry.records(), entry.bytes(), null);
    }

    static EntryCheck damaged(Manifest.Entry entry, String problem) {
      return new EntryCheck(
          entry.name(), entry.collection(), entry.records(), entry.bytes(), problem);
    }

    public boolean ok() {
      return problem == null;
    }
  }

  static Verification of(BackupId id, Manifest manifest, long bytes, List<EntryCheck> checks) {
    return new Verification(
        id.value(), checks.stream().allMatch(EntryCheck::ok), bytes, List.copyOf(checks), null);
  }

  /** An archive that could not even be opened. */
  public static Verification unreadable(BackupId id, long bytes, String problem) {
    return new Verification(id.value(), false, bytes, List.of(), problem);
  }

  /** Every problem found, one line each, entry first. */
  public List<String> problems() {
    if (problem != null) {
      return List.of(problem);
    }
    return entries.stream().filter(e -> !e.ok()).map(e -> e.name() + ": " + e.problem()).toList();
  }

  public JsonObject toJson() {
    JsonArrayBuilder checked = Json.createArrayBuilder();
    for (EntryCheck entry : entries) {
      JsonObjectBuilder json =
          Json.createObjectBuilder()
              .add("name", entry.name())
              .add("collection", entry.collection())
              .add("records", entry.records())
              .add("bytes", entry.bytes())
              .add("ok", entry.ok());
      if (entry.problem() != null) {
        json.add("problem", entry.problem());
      }
      checked.add(json);
    }
    return Json.createObjectBuilder()
        .add("backupId", backupId)
        .add("valid", valid)
        .add("bytes", bytes)
        .add("entries", checked)
        .add("problems", Json.createArrayBuilder(problems()))
        .build();
  }
}
