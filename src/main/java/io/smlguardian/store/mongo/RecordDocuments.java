package io.smlguardian.store.mongo;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.UUID;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The one mapping between records and MongoDB documents, for every collection, from its schema: one
 * document field per record field, under the same name, except the id, which is the document's
 * {@code _id}. Every field is written, null ones as BSON null, so a document always has the whole
 * schema.
 *
 * <p>Values are stored so that MongoDB compares and sorts them as the relational store does:
 *
 * <ul>
 *   <li>UUIDs (the id included) as their canonical lowercase text. Ordering that text is ordering
 *       the UUIDs' bytes as unsigned numbers, which is PostgreSQL's uuid order, so the id tiebreak
 *       of a sort gives the same pages on both stores; it reads plainly in the shell and needs no
 *       agreement on a driver's binary UUID representation.
 *   <li>Times as an int64 count of microseconds since the epoch. Records keep times to the
 *       microsecond and BSON dates hold only milliseconds; an integer keeps every microsecond, and
 *       comparing or sorting integers is comparing or sorting the times. (Years beyond ±290,000 do
 *       not fit; PostgreSQL's timestamptz refuses them too.)
 *   <li>NUMBER as double, INTEGER as int64, BOOLEAN and TEXT as themselves, JSON as embedded
 *       documents and arrays (see {@link JsonBson}).
 * </ul>
 */
final class RecordDocuments {

  static final String ID = "_id";
  static final String VERSION = "version";

  private static final long MICROS_PER_SECOND = 1_000_000L;

  private RecordDocuments() {}

  /** The document field that holds a record field. */
  static String key(String field) {
    return field.equals("id") ? ID : field;
  }

  static BsonDocument toDocument(CollectionDescriptor<?> collection, StoredRecord record) {
    BsonDocument document = new BsonDocument();
    for (FieldDefinition field : collection.schema().fields()) {
      document.append(key(field.name()), toBson(field.type(), field.read(record)));
    }
    return document;
  }

  static <E extends StoredRecord> E toRecord(
      CollectionDescriptor<E> collection, BsonDocument document) {
    E record = collection.blankRecord();
    for (FieldDefinition field : collection.schema().fields()) {
      BsonValue value = document.get(key(field.name()), BsonNull.VALUE);
      field.write(record, fromBson(field.type(), value));
    }
    return record;
  }

  /** The BSON form of a field value; also used for the operands of filters. */
  static BsonValue toBson(FieldType type, Object value) {
    if (value == null) {
      return BsonNull.VALUE;
    }
    return switch (type) {
      case TEXT -> new BsonString((String) value);
      case NUMBER -> new BsonDouble((Double) value);
      case INTEGER -> new BsonInt64(((Number) value).longValue());
      case BOOLEAN -> BsonBoolean.valueOf((Boolean) value);
      case TIME -> new BsonInt64(epochMicros((Instant) value));
      case UUID -> new BsonString(value.toString());
      case JSON -> JsonBson.toBson((JsonValue) value);
    };
  }

  static Object fromBson(FieldType type, BsonValue value) {
    if (value.isNull()) {
      return null;
    }
    return switch (type) {
      case TEXT -> value.asString().getValue();
      case NUMBER -> value.asNumber().doubleValue();
      case INTEGER -> value.asNumber().longValue();
      case BOOLEAN -> value.asBoolean().getValue();
      case TIME -> instant(value.asInt64().getValue());
      case UUID -> UUID.fromString(value.asString().getValue());
      case JSON -> JsonBson.toJson(value);
    };
  }

  static long epochMicros(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
          instant.getNano() / 1_000);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(instant + " is too far from 1970 to be stored", e);
    }
  }

  static Instant instant(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, MICROS_PER_SECOND),
        Math.floorMod(epochMicros, MICROS_PER_SECOND) * 1_000);
  }
}
