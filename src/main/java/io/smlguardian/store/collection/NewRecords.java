package io.smlguardian.store.collection;

import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One request's new records, valid, with the clear values of their protected fields kept aside
 * until they are sealed ({@link RecordMapper#validRecords}). Sealing can thus happen later than
 * validation, and elsewhere: a single insert is sealed in the audit trail's shared commit, with the
 * keys of every insert waiting looked up in one query of that transaction. It can also happen
 * again: a shared transaction that failed rolled back any first key it stored, so the insert made
 * again alone seals its clear values anew, under the key its own transaction finds or stores.
 */
public final class NewRecords<E extends StoredRecord> {

  private final CollectionDescriptor<E> collection;
  private final List<E> records;

  /** Per record, its protected fields' clear values by field name: empty for nothing to seal. */
  private final List<Map<String, JsonValue>> clearValues;

  private NewRecords(
      CollectionDescriptor<E> collection,
      List<E> records,
      List<Map<String, JsonValue>> clearValues) {
    this.collection = collection;
    this.records = List.copyOf(records);
    this.clearValues = List.copyOf(clearValues);
  }

  /**
   * Valid records, their protected fields still clear: each such field's value is kept aside here.
   */
  static <E extends StoredRecord> NewRecords<E> clear(
      CollectionDescriptor<E> collection, List<E> records) {
    List<Map<String, JsonValue>> clearValues = new ArrayList<>(records.size());
    for (E record : records) {
      Map<String, JsonValue> clear = new LinkedHashMap<>();
      if (owner(record) != null) { // an unowned record (a metric) has no key to seal with
        for (FieldDefinition field : collection.schema().fields()) {
          if (FieldProtection.isProtected(collection, field)
              && field.read(record) instanceof JsonValue value
              && value != JsonValue.NULL) {
            clear.put(field.name(), value);
          }
        }
      }
      clearValues.add(clear);
    }
    return new NewRecords<>(collection, records, clearValues);
  }

  /** Records that carry nothing to seal, made and validated elsewhere (a test's, say). */
  public static <E extends StoredRecord> NewRecords<E> withNothingToSeal(
      CollectionDescriptor<E> collection, List<E> records) {
    return new NewRecords<>(
        collection, records, records.stream().map(r -> Map.<String, JsonValue>of()).toList());
  }

  public CollectionDescriptor<E> collection() {
    return collection;
  }

  /** The records: their protected fields clear before {@link #seal}, sealed after. */
  public List<E> records() {
    return records;
  }

  /** The owners whose sealers {@link #seal} needs: those of records with a protected value. */
  public Set<String> sealedOwners() {
    Set<String> owners = new TreeSet<>();
    for (int i = 0; i < records.size(); i++) {
      if (!clearValues.get(i).isEmpty()) {
        owners.add(owner(records.get(i)));
      }
    }
    return owners;
  }

  /**
   * Seals every protected value, from the clear value kept aside, with its owner's sealer; may be
   * called again (a later call seals the clear values anew).
   *
   * @param sealers at least the {@link #sealedOwners}', as {@link FieldProtection#sealers} makes
   *     them
   * @return the records, sealed
   */
  public List<E> seal(Map<String, FieldProtection.Sealer> sealers) {
    for (int i = 0; i < records.size(); i++) {
      E record = records.get(i);
      Map<String, JsonValue> clear = clearValues.get(i);
      if (!clear.isEmpty()) {
        FieldProtection.Sealer sealer = sealers.get(owner(record));
        clear.forEach(
            (name, value) ->
                collection
                    .schema()
                    .field(name)
                    .orElseThrow()
                    .write(record, sealer.seal(name, value)));
      }
    }
    return records;
  }

  private static String owner(StoredRecord record) {
    return record instanceof OwnedRecord owned ? owned.getUserId() : null;
  }
}
