package io.smlguardian.store.sync;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.CollectionConfig;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.IngestPreparation;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.encryption.JournalSealing;
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
import java.util.UUID;

/**
 * The write-behind ingest: records of any users, of one collection or several, validated exactly as
 * the synchronous insert does ({@link IngestPreparation}), their protected fields sealed under the
 * journal key ({@link JournalSealing}), appended to the journal with what their audit entry needs,
 * and acknowledged once the journal has forced them. Either every record of a request is journaled
 * or none: a bad one refuses the whole request before anything is written.
 *
 * <p>Nothing here touches the database: ingest accepts records while it is down (offline mode),
 * bounded by the journal's size. The ingest's audit entries (one per collection and owner, as for
 * an insert) are in the journal, durable with the records, and the flusher writes them in the
 * transaction that stores the records.
 */
@ApplicationScoped
public class IngestService {

  @Inject IngestPreparation preparation;
  @Inject JournalSealing sealing;
  @Inject CollectionRegistry collections;
  @Inject CollectionConfig config;
  @Inject IngestSync sync;
  @Inject AuditTrail audit;

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
      List<StoredRecord> sealed =
          preparation.prepare(caller, group.getKey(), bodies, sealing.protection());
      for (int k = 0; k < sealed.size(); k++) {
        prepared[group.getValue().get(k)] = sealed.get(k);
      }
    }
    JournalEntry.Origin origin =
        new JournalEntry.Origin(UUID.randomUUID(), caller.subject(), caller.address());
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
              record instanceof OwnedRecord owned ? owned.getUserId() : null,
              StoredForm.of(collection, record),
              origin));
    }
    sync.append(drafts);
    audit.recordedLater(); // in the journal, with the records
    return drafts.stream().map(JournalEntry.Draft::id).toList();
  }
}
