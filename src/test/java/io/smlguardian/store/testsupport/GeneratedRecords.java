package io.smlguardian.store.testsupport;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordOwner;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records of any collection made from its schema alone, as the store sees them (nothing validated):
 * every field gets a value of its type, so a round trip through a backend checks every column of
 * the collection's table against its entity, and a new collection needs no fixture of its own.
 * Values are valid for every entity's constraints (the JPA provider validates them before it
 * writes), random where the schema may hold a unique index (sequence and block numbers), short
 * enough for every column, and times are at microsecond precision (the stores' precision).
 */
public final class GeneratedRecords {

  /**
   * The value of every time field but the collection's own time: later than any the tests use, so
   * that "ends after it starts" holds (sessions' end time).
   */
  public static final Instant LATER = Instant.parse("2030-01-01T00:00:00.000001Z");

  private GeneratedRecords() {}

  /** A new record (the store assigns id, creation time and version) with every field set. */
  public static <E extends StoredRecord> E full(
      CollectionDescriptor<E> collection, String userId, Instant time) {
    return generated(collection, userId, time, false);
  }

  /** A new record with only the required fields (and the owner and the time) set. */
  public static <E extends StoredRecord> E minimal(
      CollectionDescriptor<E> collection, String userId, Instant time) {
    return generated(collection, userId, time, true);
  }

  /**
   * A record as a snapshot or a journal carries it: every field set, its id, creation time and
   * version included.
   */
  public static <E extends StoredRecord> E stored(
      CollectionDescriptor<E> collection, String userId, Instant time, long version) {
    E record = full(collection, userId, time);
    set(collection, record, "id", UUID.randomUUID());
    set(collection, record, "createdAt", time);
    set(collection, record, "version", version);
    return record;
  }

  /** Writes one field of a record. */
  public static void set(
      CollectionDescriptor<?> collection, StoredRecord record, String field, Object value) {
    collection.schema().field(field).orElseThrow().write(record, value);
  }

  /** Every field of the record by name, as stored values (JSON compares by meaning). */
  public static Map<String, Object> fields(
      CollectionDescriptor<?> collection, StoredRecord record) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (FieldDefinition field : collection.schema().fields()) {
      fields.put(field.name(), field.read(record));
    }
    return fields;
  }

  /** Another value of the field's type than the one given. */
  public static Object another(FieldDefinition field, Object current) {
    Object value;
    do {
      value = value(field.type());
    } while (value.equals(current));
    return value;
  }

  /** A value of the type. */
  public static Object value(FieldType type) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return switch (type) {
      case TEXT -> "v" + Long.toHexString(random.nextLong(1L << 40));
      case NUMBER -> random.nextInt(1024) / 1024.0; // within every [0, 1] constraint, exact
      case INTEGER -> random.nextLong(1, 1_000_000_000L);
      case BOOLEAN -> random.nextBoolean();
      case TIME -> LATER.minus(random.nextLong(1, 1_000_000_000L), ChronoUnit.MICROS);
      case UUID -> UUID.randomUUID();
      case JSON ->
          Json.createObjectBuilder()
              .add("text", "é \"quoted\"")
              .add("n", random.nextInt(1000))
              .add("list", Json.createArrayBuilder().add(1).add("a").add(true).addNull())
              .add("nested", Json.createObjectBuilder().add("yes", JsonValue.FALSE))
              .build();
    };
  }

  private static <E extends StoredRecord> E generated(
      CollectionDescriptor<E> collection, String userId, Instant time, boolean requiredOnly) {
    E record = collection.blankRecord();
    for (FieldDefinition field : collection.schema().fields()) {
      if (field.access() == FieldDefinition.Access.GENERATED) {
        continue;
      }
      if (field.name().equals(OwnedRecord.OWNER_FIELD)) {
        field.write(record, userId);
      } else if (field.name().equals(RecordOwner.NAMED_OWNERS_FIELD)
          && collection.ownerTable().isPresent()) {
        // The owners a record names are its owners: here, its own user alone.
        field.write(record, requiredOnly ? null : Json.createArrayBuilder().add(userId).build());
      } else if (field.name().equals(collection.timeField())) {
        field.write(record, time);
      } else if (field.type() == FieldType.TIME) {
        field.write(record, requiredOnly && !field.required() ? null : LATER);
      } else if (!requiredOnly || field.required()) {
        field.write(record, value(field.type()));
      }
    }
    return record;
  }
}
