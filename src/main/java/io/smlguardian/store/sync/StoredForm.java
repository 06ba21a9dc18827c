package io.smlguardian.store.sync;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * A record in its stored form as JSON, for the journal: every field of the collection's schema (id,
 * creation time and version included) under its API name, sealed fields as the sealed values the
 * store keeps; converted both ways by the schema's own field types, so that the record the flusher
 * stores is the record that was validated and sealed.
 */
final class StoredForm {

  private StoredForm() {}

  static JsonObject toJson(CollectionDescriptor<?> collection, StoredRecord record) {
    JsonObjectBuilder json = Jsonp.PROVIDER.createObjectBuilder();
    for (FieldDefinition field : collection.schema().fields()) {
      json.add(field.name(), field.type().toJson(field.read(record)));
    }
    return json.build();
  }

  static <E extends StoredRecord> E fromJson(CollectionDescriptor<E> collection, JsonObject json) {
    E record = collection.blankRecord();
    for (FieldDefinition field : collection.schema().fields()) {
      JsonValue value = json.get(field.name());
      field.write(record, field.type().fromJson(value == null ? JsonValue.NULL : value));
    }
    return record;
  }
}
