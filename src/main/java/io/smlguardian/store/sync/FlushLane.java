package io.smlguardian.store.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * One lane of a flush batch. A batch is cut into lanes that the store can write in transactions of
 * their own, at once, without breaking what a single transaction promised:
 *
 * <ul>
 *   <li>The records of one user are always in the same lane (by their owner's hash), in journal
 *       order, and every lane of a batch commits before the next batch starts: a user's records
 *       still land in order, and two lanes never wait for the same user's lock.
 *   <li>The audit entry of one ingest request in one collection names all the owners of its records
 *       there, whichever lanes they are in: it is written by one lane (its home, by the request's
 *       hash), from the whole batch's records of that request. Its id derives from the request and
 *       the collection, as before, so it is stored once however many lanes there are, and a journal
 *       replayed with another lane count stores nothing twice.
 * </ul>
 *
 * @param records the batch's records whose owner is in this lane, in journal order
 * @param audited the batch's records of the requests whose audit entries this lane writes, in
 *     journal order (records of other lanes among them)
 */
public record FlushLane(List<JournalEntry> records, List<JournalEntry> audited) {

  /** The batch's lanes, at most {@code lanes}, those with nothing to write left out. */
  static List<FlushLane> split(List<JournalEntry> batch, int lanes) {
    if (lanes == 1) {
      return List.of(new FlushLane(batch, batch));
    }
    List<List<JournalEntry>> records = new ArrayList<>(lanes);
    List<List<JournalEntry>> audited = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      records.add(new ArrayList<>());
      audited.add(new ArrayList<>());
    }
    for (JournalEntry entry : batch) {
      records.get(lane(entry.owner(), lanes)).add(entry);
      if (entry.origin() != null) {
        audited.get(lane(entry.origin().request().toString(), lanes)).add(entry);
      }
    }
    List<FlushLane> split = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      if (!records.get(lane).isEmpty() || !audited.get(lane).isEmpty()) {
        split.add(new FlushLane(records.get(lane), audited.get(lane)));
      }
    }
    return split;
  }

  /** The lane of a key; String's hash is specified, so the same on every JVM and every run. */
  static int lane(String key, int lanes) {
    return key == null ? 0 : Math.floorMod(key.hashCode(), lanes);
  }
}
