package io.smlguardian.store.backup.archive;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * The outcome of checking an archive: per entry whether every checksum holds and, where one does
 * not, what is wrong and where.
 *
 * @param backupId the backup checked
 * @param valid whether everything holds
 * @param bytes the archive's size
 * @param entries one check per entry; empty when the archive could not be opened at all
 * @param problems every problem found, one line each, entry first; or what is wrong with the
 *     archive as a whole (unreadable, truncated)
 */
@JsonbPropertyOrder({"backupId", "valid", "bytes", "entries", "problems"})
public record Verification(
    String backupId, boolean valid, long bytes, List<EntryCheck> entries, List<String> problems) {

  /**
   * One entry's check.
   *
   * @param name the zip entry
   * @param collection its collection
   * @param records its records, as the manifest says
   * @param bytes its size, as the manifest says
   * @param ok whether all holds
   * @param problem what does not hold, with where; null when all does
   */
  @JsonbPropertyOrder({"name", "collection", "records", "bytes", "ok", "problem"})
  public record EntryCheck(
      String name, String collection, long records, long bytes, boolean ok, String problem) {

    static EntryCheck ok(Manifest.Entry entry) {
      return new EntryCheck(
          entry.name(), entry.collection(), entry.records(), entry.bytes(), true, null);
    }

    static EntryCheck damaged(Manifest.Entry entry, String problem) {
      return new EntryCheck(
          entry.name(), entry.collection(), entry.records(), entry.bytes(), false, problem);
    }
  }

  static Verification of(BackupId id, Manifest manifest, long bytes, List<EntryCheck> checks) {
    List<String> problems =
        checks.stream().filter(e -> !e.ok()).map(e -> e.name() + ": " + e.problem()).toList();
    return new Verification(id.value(), problems.isEmpty(), bytes, List.copyOf(checks), problems);
  }

  /** An archive that could not even be opened. */
  public static Verification unreadable(BackupId id, long bytes, String problem) {
    return new Verification(id.value(), false, bytes, List.of(), List.of(problem));
  }
}
