package io.smlguardian.store.sync;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.RecordJson;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TextWriter;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A journaled record in its stored form: every field of the collection's schema (id, creation time
 * and version included), sealed fields as the sealed values the store keeps. Its durable form is
 * JSON, each field under its API name, converted both ways by the schema's own field types, so that
 * the record the flusher stores is the record that was validated and sealed.
 *
 * <p>An entry an ingest request journals keeps, until it is flushed, the record the request
 * validated and sealed: written to the journal as its text ({@link #text()}), and handed to the
 * flusher as it is, or as a copy when a field must be sealed again ({@link #readOnly}). Kept as a
 * JSON object instead, each pending record was built into one on the request's path and converted
 * back, field by field from maps long out of the processor's caches, on the flusher's (a seventh of
 * a request's samples and a quarter of the flusher's in a profile of the ingest benchmark). An
 * entry read back from the journal's files, at start-up or as a dead letter, keeps the JSON it was
 * read from until the flusher converts it.
 */
public final class StoredForm {

  /** The record's collection and the record, or null for a form read back as JSON. */
  private final CollectionDescriptor<?> collection;

  private final StoredRecord record;

  /** The record as JSON: read back, or made once when asked for. */
  private JsonObject json;

  /** The record as JSON text: made once when asked for ({@link #text()}). */
  private String text;

  private StoredForm(CollectionDescriptor<?> collection, StoredRecord record, JsonObject json) {
    this.collection = collection;
    this.record = record;
    this.json = json;
  }

  /** The form of a record the service validated and sealed, which no one changes afterwards. */
  static StoredForm of(CollectionDescriptor<?> collection, StoredRecord record) {
    return new StoredForm(Objects.requireNonNull(collection), Objects.requireNonNull(record), null);
  }

  /** The form read back from its JSON. */
  public static StoredForm of(JsonObject json) {
    return new StoredForm(null, null, Objects.requireNonNull(json));
  }

  /** The record, as a new object of the collection's entity class that the caller may change. */
  <E extends StoredRecord> E record(CollectionDescriptor<E> collection) {
    E copy = collection.blankRecord();
    if (record != null) {
      requireOf(collection);
      for (FieldDefinition field : collection.schema().fields()) {
        field.write(copy, field.read(record));
      }
      return copy;
    }
    for (FieldDefinition field : collection.schema().fields()) {
      JsonValue value = json.get(field.name());
      field.write(copy, field.type().fromJson(value == null ? JsonValue.NULL : value));
    }
    return copy;
  }

  /**
   * The record for a caller that only reads it (the flusher's insert): the kept record itself, or
   * one converted from JSON. Copying every pending record cost the flusher a tenth of its samples.
   */
  <E extends StoredRecord> E readOnly(CollectionDescriptor<E> collection) {
    if (record == null) {
      return record(collection);
    }
    requireOf(collection);
    return collection.entityClass().cast(record);
  }

  private void requireOf(CollectionDescriptor<?> asked) {
    if (!asked.name().equals(collection.name())) {
      throw new IllegalArgumentException(
          "a record of " + collection.name() + ", not of " + asked.name());
    }
  }

  /**
   * The record as JSON text, as the JSON-P provider writes {@link #toJson()}: made once, by hand
   * ({@link RecordJson#writeProviderForm}) for a kept record, which is about five times as fast for
   * the flat records of the high-volume collections. A form never changes, so two threads that both
   * make it make the same text.
   */
  String text() {
    String made = text;
    if (made == null) {
      if (json != null) {
        made = json.toString();
      } else {
        TextWriter out = new TextWriter(256);
        try {
          RecordJson.writeProviderForm(collection, record, out);
        } catch (IOException e) {
          throw new UncheckedIOException(e); // a TextWriter does not throw
        }
        made = out.toString();
      }
      text = made;
    }
    return made;
  }

  /** The record as JSON. */
  public JsonObject toJson() {
    if (json == null) {
      JsonObjectBuilder built = Jsonp.PROVIDER.createObjectBuilder();
      for (FieldDefinition field : collection.schema().fields()) {
        built.add(field.name(), field.type().toJson(field.read(record)));
      }
      json = built.build();
    }
    return json;
  }

  /** Forms are equal when their JSON is: a record and the same record read back are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof StoredForm form && toJson().equals(form.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
