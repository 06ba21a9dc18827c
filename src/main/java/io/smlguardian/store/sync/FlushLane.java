package io.smlguardian.store.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One lane of a flush batch. A batch is cut into lanes that the store can write in transactions of
 * their own, at once, without breaking what a single transaction promised:
 *
 * <ul>
 *   <li>The records of one user are always in the same lane (by their owner's hash), in journal
 *       order, and every lane of a batch commits before the next batch starts: a user's records
 *       still land in order, and two lanes never wait for the same user's lock.
 *   <li>The audit entry of one ingest request in one collection names all the owners of its records
 *       there, whichever lanes they are in: it is written by one lane (its home), from the whole
 *       batch's records of that request. Its id derives from the request and the collection, as
 *       before, so it is stored once however many lanes there are and whichever lane writes it, and
 *       a journal replayed with another lane count stores nothing twice.
 *   <li>A request's home is the lane with the least to write so far (its records, then the owner
 *       rows of the requests it is already the home of), taking the requests in journal order: the
 *       next batch waits for the slowest lane, and an entry of a request of a hundred users writes
 *       a hundred owner rows: homes by the request's hash (ten such requests a batch, four lanes)
 *       would often give one lane the owner rows of four entries and another those of one.
 * </ul>
 *
 * @param records the batch's records whose owner is in this lane, in journal order
 * @param audited the batch's records of the requests whose audit entries this lane writes, request
 *     by request, each request's in journal order (records of other lanes among them)
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
    int[] load = new int[lanes];
    for (JournalEntry entry : batch) {
      int lane = lane(entry.owner(), lanes);
      records.get(lane).add(entry);
      load[lane] += 2; // a record costs the database about twice what an owner row does
    }
    Map<UUID, List<JournalEntry>> requests = new LinkedHashMap<>();
    for (JournalEntry entry : batch) {
      if (entry.origin() != null) {
        requests.computeIfAbsent(entry.origin().request(), r -> new ArrayList<>()).add(entry);
      }
    }
    for (List<JournalEntry> request : requests.values()) {
      int home = 0;
      for (int lane = 1; lane < lanes; lane++) {
        home = load[lane] < load[home] ? lane : home;
      }
      audited.get(home).addAll(request);
      load[home] += request.size(); // an owner row per owner and collection, at most
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
