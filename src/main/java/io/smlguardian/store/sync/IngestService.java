package io.smlguardian.store.sync;

import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionConfig;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordService;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The write-behind ingest: records of any users, of one collection or several, validated and sealed
 * exactly as the synchronous insert does ({@link RecordService#prepareForIngest}), appended to the
 * journal, and acknowledged once the journal has forced them. Either every record of a request is
 * journaled or none: a bad one refuses the whole request before anything is written.
 *
 * <p>Each ingest is recorded in the audit trail as a write of each collection, once per owner,
 * after its records are journaled (their store write comes later, recorded by the flush).
 */
@ApplicationScoped
public class IngestService {

  @Inject RecordService records;
  @Inject CollectionRegistry collections;
  @Inject CollectionConfig config;
  @Inject IngestSync sync;
  @Inject AccessRecorder audit;

  /** One record to ingest and its collection. */
  public record Item(String collection, JsonObject record) {}

  /** Journals the records, in the request's order; returns their ids in that order. */
  public List<UUID> ingest(Caller caller, List<Item> items) {
    int max = config.maxRecordsPerRequest();
    if (items.isEmpty() || items.size() > max) {
      throw new InvalidRequestException(
          "An ingest takes 1 to " + max + " records, got " + items.size() + ".");
    }
    Map<String, List<Integer>> positions = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      positions.computeIfAbsent(items.get(i).collection(), c -> new ArrayList<>()).add(i);
    }
    StoredRecord[] prepared = new StoredRecord[items.size()];
    for (Map.Entry<String, List<Integer>> group : positions.entrySet()) {
      List<JsonObject> bodies = group.getValue().stream().map(i -> items.get(i).record()).toList();
      List<StoredRecord> sealed = records.prepareForIngest(caller, group.getKey(), bodies);
      for (int k = 0; k < sealed.size(); k++) {
        prepared[group.getValue().get(k)] = sealed.get(k);
      }
    }
    Set<UUID> ids = new HashSet<>();
    List<JournalEntry.Draft> drafts = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      StoredRecord record = prepared[i];
      if (!ids.add(record.getId())) {
        throw new InvalidRequestException(
            "The id " + record.getId() + " is given to more than one record of the request.");
      }
      CollectionDescriptor<?> collection = collections.get(items.get(i).collection());
      drafts.add(
          new JournalEntry.Draft(
              collection.name(),
              record.getId(),
              ownerOf(record),
              StoredForm.toJson(collection, record)));
    }
    sync.append(drafts);
    for (Map.Entry<String, List<Integer>> group : positions.entrySet()) {
      Set<String> owners = new TreeSet<>();
      group.getValue().stream().map(i -> ownerOf(prepared[i])).forEach(o -> addOwner(owners, o));
      audit.accessed(caller, collections.get(group.getKey()), "ingest", owners);
    }
    return drafts.stream().map(JournalEntry.Draft::id).toList();
  }

  private static void addOwner(Set<String> owners, String owner) {
    if (owner != null) {
      owners.add(owner);
    }
  }

  private static String ownerOf(StoredRecord record) {
    return record instanceof OwnedRecord owned ? owned.getUserId() : null;
  }
}
