package io.smlguardian.store.sync;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.encryption.JournalSealing;
import io.smlguardian.store.privacy.Erasures;
import io.smlguardian.store.resilience.DatabaseBoundary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes one lane of a batch of journal entries ({@link FlushLane}) to the store in one
 * transaction, with the audit entries of the ingests that brought them, inserting only ids not yet
 * stored: a batch written again after a failed flush or a crash stores nothing twice, records and
 * audit entries alike. Entries keep their journal order within each collection.
 *
 * <p>In that transaction, before anything is written: the lane's owners are locked as an erasure
 * locks its user ({@link RecordStore#lockUsers}), so an erasure running now on any instance either
 * commits first or waits for this lane; then the records of owners erased at or after the time they
 * were journaled are left out, never to be stored. The rest have their protected fields opened from
 * the journal key and sealed under their owners' data keys (created as an insert creates them).
 */
@ApplicationScoped
@Transactional
@DatabaseBoundary
public class IngestWriter {

  @Inject CollectionRegistry collections;
  @Inject RecordStore store;
  @Inject FieldProtection protection;
  @Inject JournalSealing sealing;
  @Inject Erasures erasures;
  @Inject AuditTrail audit;

  /** What one batch did: records new to the store, and records left out for their erasure. */
  public record Written(long inserted, long erased) {}

  /**
   * Writes one lane of a batch (see {@link FlushLane}): its records, and the audit entries of the
   * requests it is the home of. A batch holds every record of each request it holds records of (see
   * {@link IngestJournal#unflushed}): each request's ingest is one audit entry per collection,
   * naming the owners of its records there, in whichever lanes they are.
   */
  public Written write(FlushLane lane) {
    return write(lane.records(), lane.audited(), true);
  }

  /**
   * Writes a lane as {@link #write(FlushLane)} does, skipping records and entries stored already.
   * The first write of a lane expects them all to be new, and inserts them as such where that is
   * cheaper ({@link RecordStore#insertNew}); one of them stored already (the lane written before a
   * crash or a failed flush, an id a client sent twice) fails it as a refused row, and the lane is
   * then written again with this.
   */
  public Written writeAgain(FlushLane lane) {
    return write(lane.records(), lane.audited(), false);
  }

  /**
   * Writes one record of a batch alone (a batch the store refused is written record by record, to
   * find the record it refuses for good), with the audit entry of its request's ingest as the whole
   * batch would have written it: the request's other records, written alone or again, give the same
   * entry, stored once.
   */
  public Written writeAlone(JournalEntry entry, List<JournalEntry> batch) {
    return write(List.of(entry), sameAccess(entry, batch), false);
  }

  private Written write(List<JournalEntry> batch, List<JournalEntry> audited, boolean expectNew) {
    Set<String> owners = new TreeSet<>();
    batch.stream().map(JournalEntry::owner).filter(Objects::nonNull).forEach(owners::add);
    store.lockUsers(owners);
    Map<String, Instant> erased = erasuresSinceEarliest(batch);

    Map<String, List<JournalEntry>> byCollection = new LinkedHashMap<>();
    long left = 0;
    for (JournalEntry entry : batch) {
      Instant erasure = entry.owner() == null ? null : erased.get(entry.owner());
      if (erasure != null && !erasure.isBefore(entry.time())) {
        left++;
      } else {
        byCollection.computeIfAbsent(entry.collection(), c -> new ArrayList<>()).add(entry);
      }
    }
    long inserted = 0;
    for (Map.Entry<String, List<JournalEntry>> group : byCollection.entrySet()) {
      inserted += write(collections.get(group.getKey()), group.getValue(), expectNew);
    }
    if (expectNew) {
      audit.recordDeferredNew(ingestAccesses(audited));
    } else {
      audit.recordDeferred(ingestAccesses(audited));
    }
    return new Written(inserted, left);
  }

  /**
   * The audit entry of the ingest that brought a record of the batch, alone: for a record the store
   * refused for good (see {@link DeadLetters}), whose ingest was an access all the same; the entry
   * the batch's other records of its request give, stored once.
   */
  public void recordIngest(JournalEntry entry, List<JournalEntry> batch) {
    audit.recordDeferred(ingestAccesses(sameAccess(entry, batch)));
  }

  /**
   * The audit entries of the ingests that brought these records, alone: those of a lane whose
   * records were written one by one (each with its own ingest's entry), for the requests of which
   * the lane holds no record.
   */
  public void recordIngests(List<JournalEntry> audited) {
    audit.recordDeferred(ingestAccesses(audited));
  }

  /** The batch's records that the entry's ingest brought to the same collection. */
  private static List<JournalEntry> sameAccess(JournalEntry entry, List<JournalEntry> batch) {
    if (entry.origin() == null) {
      return List.of(entry);
    }
    return batch.stream()
        .filter(
            e ->
                e.origin() != null
                    && e.origin().request().equals(entry.origin().request())
                    && e.collection().equals(entry.collection()))
        .toList();
  }

  /**
   * The latest erasure of each user erased since the batch's earliest record was journaled: the
   * only erasures that can leave a record of the batch out.
   */
  private Map<String, Instant> erasuresSinceEarliest(List<JournalEntry> batch) {
    Instant earliest = null;
    for (JournalEntry entry : batch) {
      if (entry.owner() != null && (earliest == null || entry.time().isBefore(earliest))) {
        earliest = entry.time();
      }
    }
    return earliest == null ? Map.of() : erasures.latestSince(earliest);
  }

  /** When each of these users was last erased, for those erased at all. */
  public Map<String, Instant> latestErasures(Set<String> owners) {
    return erasures.latestOf(owners);
  }

  private <E extends StoredRecord> long write(
      CollectionDescriptor<E> collection, List<JournalEntry> entries, boolean expectNew) {
    List<E> journaled = new ArrayList<>(entries.size());
    List<List<FieldDefinition>> sealedFields = new ArrayList<>(entries.size());
    Set<String> sealedOwners = new TreeSet<>();
    for (JournalEntry entry : entries) {
      E record = entry.record().readOnly(collection);
      List<FieldDefinition> sealed = journalSealed(collection, record);
      journaled.add(record);
      sealedFields.add(sealed);
      if (!sealed.isEmpty()) {
        sealedOwners.add(entry.owner());
      }
    }
    // The owners' keys in one query for the lane (they were looked up one owner at a time).
    Map<String, FieldProtection.Sealer> sealers =
        sealedOwners.isEmpty() ? Map.of() : protection.sealers(collection, sealedOwners);
    List<E> records = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      records.add(
          sealedForStore(
              collection, entries.get(i), journaled.get(i), sealedFields.get(i), sealers));
    }
    return expectNew
        ? store.insertNew(collection, records)
        : store.insertIfAbsent(collection, records);
  }

  /** The record's protected fields that hold values sealed under the journal key. */
  private static List<FieldDefinition> journalSealed(
      CollectionDescriptor<?> collection, StoredRecord record) {
    List<FieldDefinition> sealed = new ArrayList<>();
    for (FieldDefinition field : collection.schema().fields()) {
      if (FieldProtection.isProtected(collection, field)
          && field.read(record) instanceof JsonValue value
          && JournalSealing.isSealed(value)) {
        sealed.add(field);
      }
    }
    return sealed;
  }

  /** The journaled record, its fields sealed under the journal key now sealed under its owner's. */
  private <E extends StoredRecord> E sealedForStore(
      CollectionDescriptor<E> collection,
      JournalEntry entry,
      E journaled,
      List<FieldDefinition> sealed,
      Map<String, FieldProtection.Sealer> sealers) {
    if (sealed.isEmpty()) {
      return journaled;
    }
    FieldProtection.Sealer sealer = sealers.get(entry.owner());
    E record = entry.record().record(collection); // resealed in a copy: the entry stays as kept
    for (FieldDefinition field : sealed) {
      JsonValue clear =
          sealing.open(collection, entry.owner(), field.name(), (JsonValue) field.read(journaled));
      field.write(record, sealer.seal(field.name(), clear));
    }
    return record;
  }

  /**
   * The audit entries of the ingests that brought the batch's records, at the time of each ingest:
   * one per request and collection, naming the owners of the request's records there. Their ids
   * derive from the request and the collection, so an entry written again (a batch written again
   * after a failure, a journal replayed after a crash, a request's records written one at a time)
   * is stored once. A batch holds all of a request's records ({@link IngestJournal#unflushed}), so
   * however the journal is cut into batches, an entry always names the same owners.
   */
  private static List<AuditTrail.Deferred> ingestAccesses(List<JournalEntry> batch) {
    Map<String, List<JournalEntry>> accesses = new LinkedHashMap<>();
    for (JournalEntry entry : batch) {
      JournalEntry.Origin origin = entry.origin();
      if (origin == null) {
        continue; // journaled before entries carried their origin: audited when ingested
      }
      String access = "ingest/" + origin.request() + "/" + entry.collection();
      accesses.computeIfAbsent(access, k -> new ArrayList<>()).add(entry);
    }
    List<AuditTrail.Deferred> deferred = new ArrayList<>(accesses.size());
    for (Map.Entry<String, List<JournalEntry>> access : accesses.entrySet()) {
      JournalEntry first = access.getValue().get(0);
      Set<String> owners = new TreeSet<>();
      access.getValue().stream()
          .map(JournalEntry::owner)
          .filter(Objects::nonNull)
          .forEach(owners::add);
      deferred.add(
          new AuditTrail.Deferred(
              UUID.nameUUIDFromBytes(access.getKey().getBytes(StandardCharsets.UTF_8)),
              owners,
              first.origin().principal(),
              first.collection(),
              AccessOperation.INGEST,
              first.time(),
              first.origin().address()));
    }
    return deferred;
  }
}
