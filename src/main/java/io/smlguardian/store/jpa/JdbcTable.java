package io.smlguardian.store.jpa;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordOwner;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import jakarta.json.Json;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Table;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A collection's table as plain JDBC sees it, read from the same JPA mapping EclipseLink uses (the
 * entity's {@code @Table} and each field's {@code @Column}): for the bulk paths of backup and
 * restore, which move every row of a table and gain most from skipping the persistence context.
 * Values are the same as the entity's converters give ({@code InstantConverter}: the instant;
 * {@code JsonConverter}: the JSON text), so a row read here and a row EclipseLink reads give the
 * same record.
 *
 * <p>Table and column names come from annotations in this code base, never from a request.
 */
final class JdbcTable<E extends StoredRecord> {

  /** One factory for all rows: looking the JSON provider up per value would dominate a backup. */
  private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

  private final CollectionDescriptor<E> collection;

  /**
   * SQLite's encoding, as {@link SQLitePlatform} writes it for EclipseLink: times as INTEGER
   * microseconds since the epoch, uuids as text.
   */
  private final boolean sqlite;

  private final String table;
  private final String staging;

  /** The owner table's name, for a collection that has one ({@link RecordOwner}); else null. */
  private final String owners;

  private final List<FieldDefinition> fields;
  private final List<String> columns;

  private JdbcTable(CollectionDescriptor<E> collection, boolean sqlite) {
    this.collection = collection;
    this.sqlite = sqlite;
    Table mapped = collection.entityClass().getAnnotation(Table.class);
    if (mapped == null || mapped.name().isBlank()) {
      throw new IllegalStateException(collection.entityClass() + " names no @Table");
    }
    this.table = mapped.name();
    this.staging = table + "_staging";
    this.owners =
        collection
            .ownerTable()
            .map(
                entity -> {
                  Table owned = entity.getAnnotation(Table.class);
                  if (owned == null || owned.name().isBlank()) {
                    throw new IllegalStateException(entity + " names no @Table");
                  }
                  return owned.name();
                })
            .orElse(null);
    this.fields = collection.schema().fields();
    this.columns =
        fields.stream()
            .map(
                field -> {
                  Column column = field.member().getAnnotation(Column.class);
                  if (column == null || column.name().isBlank()) {
                    throw new IllegalStateException(
                        collection.name() + "." + field.name() + " names no @Column");
                  }
                  return column.name();
                })
            .toList();
  }

  static <E extends StoredRecord> JdbcTable<E> of(
      CollectionDescriptor<E> collection, boolean sqlite) {
    return new JdbcTable<>(collection, sqlite);
  }

  /** Every row, in no particular order (a sequential scan, streamed by the fetch size). */
  String selectAll() {
    return "SELECT " + String.join(", ", columns) + " FROM " + table;
  }

  /** The row of one id (bound with bindId). */
  String selectById() {
    return selectAll() + " WHERE " + columns.get(0) + " = ?";
  }

  /**
   * Writes every column of the row of one id, if it is still at one version: the record's fields
   * bound with bindNew, then the id (bindId) and the version it was read at.
   */
  String updateAtVersion() {
    return "UPDATE "
        + table
        + " SET "
        + columns.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
        + " WHERE "
        + columns.get(0)
        + " = ? AND "
        + column("version")
        + " = ?";
  }

  /** Deletes the row of one id (bindId), if it is still at one version (bound next). */
  String deleteAtVersion() {
    return "DELETE FROM "
        + table
        + " WHERE "
        + columns.get(0)
        + " = ? AND "
        + column("version")
        + " = ?";
  }

  /**
   * Every row of one owner (bound as the only parameter), in id order: one query over the owner's
   * index (for a collection with an owner table, its rows of the owner), streamed by the fetch
   * size.
   */
  String selectOwnedBy() {
    if (owners != null) {
      return selectAll()
          + " WHERE EXISTS (SELECT 1 FROM "
          + owners
          + " o WHERE o."
          + RecordOwner.OWNER_COLUMN
          + " = ? AND o."
          + RecordOwner.RECORD_COLUMN
          + " = "
          + table
          + "."
          + columns.get(0)
          + ") ORDER BY "
          + columns.get(0);
    }
    int owner = fields.indexOf(collection.schema().field(OwnedRecord.OWNER_FIELD).orElseThrow());
    return selectAll() + " WHERE " + columns.get(owner) + " = ? ORDER BY id";
  }

  /**
   * Inserts {@code rows} rows of the owner table (owner, then record id), skipping those stored
   * already unless {@code skipStored} is false (then a plain insert, which fails on one): on
   * PostgreSQL and SQLite in one statement; H2 takes its own MERGE ({@code merge}), one row per
   * statement ({@code rows} must then be 1).
   */
  String insertOwners(int rows, boolean merge, boolean skipStored) {
    String list = RecordOwner.OWNER_COLUMN + ", " + RecordOwner.RECORD_COLUMN;
    if (merge) {
      if (rows != 1) {
        throw new IllegalArgumentException("MERGE takes one row per statement here");
      }
      return "MERGE INTO " + owners + " KEY (" + list + ") VALUES (?, ?)";
    }
    return "INSERT INTO "
        + owners
        + " ("
        + list
        + ") VALUES "
        + String.join(", ", java.util.Collections.nCopies(rows, "(?, ?)"))
        + (skipStored ? " ON CONFLICT DO NOTHING" : "");
  }

  /** The owner table's rows (owner, record id) of {@code ids} records (bound with bindId). */
  String selectOwnersOf(int ids) {
    return "SELECT "
        + RecordOwner.OWNER_COLUMN
        + ", "
        + RecordOwner.RECORD_COLUMN
        + " FROM "
        + owners
        + " WHERE "
        + RecordOwner.RECORD_COLUMN
        + inList(ids);
  }

  /** The record id of a row read by {@link #selectOwnersOf}. */
  UUID ownedRecord(ResultSet row) throws SQLException {
    return (UUID) value(row, 2, fields.get(0), false);
  }

  /** Deletes the owner table's rows whose record is gone (after a restore replaced the table). */
  String deleteOwnersOfNoRecord() {
    return "DELETE FROM "
        + owners
        + " WHERE NOT EXISTS (SELECT 1 FROM "
        + table
        + " r WHERE r."
        + columns.get(0)
        + " = "
        + owners
        + "."
        + RecordOwner.RECORD_COLUMN
        + ")";
  }

  /**
   * Gives each record that has no row in the owner table and names no owners of its own the row of
   * its owner (after a restore copied records in).
   */
  String insertOwnersOfSingleOwned() {
    String id = columns.get(0);
    return "INSERT INTO "
        + owners
        + " ("
        + RecordOwner.OWNER_COLUMN
        + ", "
        + RecordOwner.RECORD_COLUMN
        + ") SELECT r."
        + column(OwnedRecord.OWNER_FIELD)
        + ", r."
        + id
        + " FROM "
        + table
        + " r WHERE r."
        + column(RecordOwner.NAMED_OWNERS_FIELD)
        + " IS NULL AND "
        + noOwnerRow("r." + id);
  }

  /**
   * The id and named owners (a JSON array) of each record that names several and has no row in the
   * owner table, which the store then gives one per owner.
   */
  String selectSeveralOwnedWithoutRows() {
    String id = columns.get(0);
    return "SELECT r."
        + id
        + ", r."
        + column(RecordOwner.NAMED_OWNERS_FIELD)
        + " FROM "
        + table
        + " r WHERE r."
        + column(RecordOwner.NAMED_OWNERS_FIELD)
        + " IS NOT NULL AND "
        + noOwnerRow("r." + id);
  }

  private String noOwnerRow(String id) {
    return "NOT EXISTS (SELECT 1 FROM "
        + owners
        + " o WHERE o."
        + RecordOwner.RECORD_COLUMN
        + " = "
        + id
        + ")";
  }

  /** The named owners (a JSON array) of a row read by {@link #selectSeveralOwnedWithoutRows}. */
  JsonValue namedOwners(ResultSet row) throws SQLException {
    return (JsonValue)
        value(
            row, 2, collection.schema().field(RecordOwner.NAMED_OWNERS_FIELD).orElseThrow(), false);
  }

  /** The rows of {@code ids} ids (bound with bindId). */
  String selectByIds(int ids) {
    return selectAll() + " WHERE " + columns.get(0) + inList(ids);
  }

  /** The id, version and creation time of the rows of {@code ids} ids (bound with bindId). */
  String selectStampsByIds(int ids) {
    return "SELECT "
        + columns.get(0)
        + ", "
        + column("version")
        + ", "
        + column("createdAt")
        + " FROM "
        + table
        + " WHERE "
        + columns.get(0)
        + inList(ids);
  }

  private static String inList(int ids) {
    if (ids < 1) {
      throw new IllegalArgumentException("an IN list of no ids");
    }
    return Stream.generate(() -> "?").limit(ids).collect(Collectors.joining(", ", " IN (", ")"));
  }

  /** Binds an id as this backend's id column holds it. */
  void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
    bind(statement, index, fields.get(0), id, false);
  }

  /** The id of a row whose first column is the id. */
  UUID id(ResultSet row) throws SQLException {
    return (UUID) value(row, 1, fields.get(0), false);
  }

  /** A time read from a column of this backend. */
  Instant time(ResultSet row, int index) throws SQLException {
    return (Instant) value(row, index, collection.schema().field("createdAt").orElseThrow(), false);
  }

  /** A multi-row insert of {@code rows} rows: standard SQL that every relational backend takes. */
  String insert(int rows) {
    return insert(table, rows);
  }

  /** As {@link #insert(int)}, into the staging copy. */
  String insertStaged(int rows) {
    return insert(staging, rows);
  }

  private String insert(String into, int rows) {
    String row = columns.stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
    return "INSERT INTO "
        + into
        + " ("
        + String.join(", ", columns)
        + ") VALUES "
        + String.join(", ", java.util.Collections.nCopies(rows, row));
  }

  /** Empties the staging copy (a table the migrations created beside this one). */
  String clearStaging() {
    return "DELETE FROM " + staging;
  }

  /** Deletes the live rows, or only those created before a bound parameter's time. */
  String deleteLive(boolean createdBefore) {
    return "DELETE FROM " + table + (createdBefore ? " WHERE " + column("createdAt") + " < ?" : "");
  }

  /** Copies the staged rows over, or only those whose id the table lacks. */
  String copyStaged(boolean onlyMissing) {
    String list = String.join(", ", columns);
    return "INSERT INTO "
        + table
        + " ("
        + list
        + ") SELECT "
        + list
        + " FROM "
        + staging
        + (onlyMissing
            ? " WHERE NOT EXISTS (SELECT 1 FROM "
                + table
                + " live WHERE live."
                + column("id")
                + " = "
                + staging
                + "."
                + column("id")
                + ")"
            : "");
  }

  /**
   * Deletes the staged rows whose owner {@code erasures} names with a time after their creation:
   * the records of a user erased after they were written.
   */
  String deleteStagedErased(JdbcTable<?> erasures) {
    String owner = column(OwnedRecord.OWNER_FIELD);
    return "DELETE FROM "
        + staging
        + " WHERE EXISTS (SELECT 1 FROM "
        + erasures.table
        + " e WHERE e."
        + erasures.column(OwnedRecord.OWNER_FIELD)
        + " = "
        + staging
        + "."
        + owner
        + " AND e."
        + erasures.column(erasures.collection.timeField())
        + " > "
        + staging
        + "."
        + column("createdAt")
        + ")";
  }

  String table() {
    return table;
  }

  /** The column of a field of the collection. */
  private String column(String field) {
    return columns.get(indexOf(field));
  }

  private int indexOf(String field) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(field)) {
        return i;
      }
    }
    throw new IllegalArgumentException(collection.name() + " has no field " + field);
  }

  /**
   * A statement and the values of its parameters, in order, each bound as its field's column holds
   * it.
   */
  record Select(String sql, List<FieldDefinition> fields, List<Object> values) {}

  /**
   * The SELECT that EclipseLink writes for a query of this table ({@code JpaRecordStore.find}):
   * every column, the filters' comparisons (a negated one as {@code NOT (...)}), the cursor's key
   * as {@code JpaRecordStore.afterKey} puts it, the query's order, then {@code LIMIT n OFFSET m}
   * (the query's validated numbers), which PostgreSQL, SQLite and H2 all take. Empty for a query
   * that filters on owners (an owner table's, or {@link FilterOperator#OWNER_IN}'s subquery) or on
   * a JSON column: those stay with EclipseLink.
   */
  Optional<Select> select(RecordQuery query) {
    if (owners != null) {
      return Optional.empty();
    }
    List<String> where = new ArrayList<>();
    List<FieldDefinition> bound = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Filter filter : query.filters()) {
      int index = indexOf(filter.field());
      FieldDefinition field = fields.get(index);
      if (filter.operator() == FilterOperator.OWNER_IN || field.type() == FieldType.JSON) {
        return Optional.empty();
      }
      String column = columns.get(index);
      List<Object> operands =
          filter.operator() == FilterOperator.IN
              ? filter.values()
              : filter.value() == null ? List.of() : List.of(filter.value());
      String comparison =
          switch (filter.operator()) {
            case EQ, IS -> operands.isEmpty() ? column + " IS NULL" : column + " = ?";
            case NEQ -> column + " <> ?";
            case GT -> column + " > ?";
            case GTE -> column + " >= ?";
            case LT -> column + " < ?";
            case LTE -> column + " <= ?";
            case IN ->
                column
                    + operands.stream()
                        .map(v -> "?")
                        .collect(Collectors.joining(", ", " IN (", ")"));
            case OWNER_IN -> throw new IllegalStateException("answered above");
          };
      where.add(filter.negated() ? "NOT (" + comparison + ")" : comparison);
      operands.forEach(
          v -> {
            bound.add(field);
            values.add(v);
          });
    }
    if (query.after() != null) {
      int timeIndex = indexOf(collection.timeField());
      FieldDefinition time = fields.get(timeIndex);
      FieldDefinition id = fields.get(0);
      String t = columns.get(timeIndex);
      where.add(t + " <= ?");
      where.add("(" + t + " < ? OR " + columns.get(0) + " > ?)");
      bound.addAll(List.of(time, time, id));
      values.addAll(List.of(query.after().time(), query.after().time(), query.after().id()));
    }
    StringBuilder sql = new StringBuilder(selectAll());
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY ");
    List<SortOrder> order = query.effectiveOrder(collection.timeField());
    sql.append(
        order.stream()
            .map(k -> column(k.field()) + (k.ascending() ? " ASC" : " DESC"))
            .collect(Collectors.joining(", ")));
    sql.append(" LIMIT ").append(query.limit()).append(" OFFSET ").append(query.offset());
    return Optional.of(new Select(sql.toString(), bound, values));
  }

  /** Binds a {@link #select}'s values, as EclipseLink binds them (times as Timestamps). */
  void bind(PreparedStatement statement, Select select) throws SQLException {
    for (int i = 0; i < select.values().size(); i++) {
      bind(statement, i + 1, select.fields().get(i), select.values().get(i), true);
    }
  }

  /** Binds a time as the columns of this backend hold it. */
  void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException {
    bind(statement, index, collection.schema().field("createdAt").orElseThrow(), time, false);
  }

  /**
   * An insert of {@code rows} rows that skips each row whose id is already stored: PostgreSQL and
   * SQLite (3.24 and later) take {@code ON CONFLICT (id) DO NOTHING}; H2 takes a standard MERGE
   * ({@code merge}), one row per statement ({@code rows} must then be 1), since the parameters of a
   * multi-row VALUES source would have no type there.
   */
  String insertIfAbsent(int rows, boolean merge) {
    if (!merge) {
      return insert(rows) + " ON CONFLICT (" + columns.get(0) + ") DO NOTHING";
    }
    if (rows != 1) {
      throw new IllegalArgumentException("MERGE takes one row per statement here");
    }
    String id = columns.get(0);
    return "MERGE INTO "
        + table
        + " t USING (SELECT CAST(? AS UUID) AS "
        + id
        + ") s ON t."
        + id
        + " = s."
        + id
        + " WHEN NOT MATCHED THEN INSERT ("
        + String.join(", ", columns)
        + ") VALUES "
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
  }

  CollectionDescriptor<E> collection() {
    return collection;
  }

  int columnCount() {
    return columns.size();
  }

  /** The record of the current row, every field as stored. */
  E read(ResultSet row) throws SQLException {
    return read(row, false);
  }

  /**
   * The record of the current row as EclipseLink reads it, times through a {@link Timestamp}, so
   * that written back with bindNew every field is stored as it was (a time of the range's first
   * years read as stored and written as EclipseLink writes would move by days).
   */
  E readAsEclipseLink(ResultSet row) throws SQLException {
    return read(row, true);
  }

  private E read(ResultSet row, boolean asEclipseLink) throws SQLException {
    E record = collection.blankRecord();
    for (int i = 0; i < fields.size(); i++) {
      FieldDefinition field = fields.get(i);
      field.write(record, value(row, i + 1, field, asEclipseLink));
    }
    return record;
  }

  /**
   * Binds a record's fields as they were read ({@link #read}: a restore's, a staging copy's), from
   * parameter {@code first} on; returns the next free parameter.
   */
  int bind(PreparedStatement statement, int first, E record) throws SQLException {
    return bind(statement, first, record, false);
  }

  /**
   * Binds a new record's fields as EclipseLink writes them (the API's and the ingest's inserts),
   * from parameter {@code first} on; returns the next free parameter. Times go as {@code
   * InstantConverter}'s {@link Timestamp}, which the driver writes on the Julian calendar before
   * 1582 and EclipseLink reads back the same way: bound as a java.time value, a time of the range's
   * first years read back through EclipseLink two days earlier than it was given.
   */
  int bindNew(PreparedStatement statement, int first, E record) throws SQLException {
    return bind(statement, first, record, true);
  }

  private int bind(PreparedStatement statement, int first, E record, boolean asEclipseLink)
      throws SQLException {
    int index = first;
    for (FieldDefinition field : fields) {
      bind(statement, index++, field, field.read(record), asEclipseLink);
    }
    return index;
  }

  private Object value(ResultSet row, int index, FieldDefinition field, boolean asEclipseLink)
      throws SQLException {
    if (sqlite && field.type() == FieldType.TIME) {
      long micros = row.getLong(index);
      return row.wasNull() ? null : SQLitePlatform.fromMicros(micros);
    }
    switch (field.type()) {
      case TEXT:
        return row.getString(index);
      case NUMBER:
        double number = row.getDouble(index);
        return row.wasNull() ? null : number;
      case INTEGER:
        long integer = row.getLong(index);
        return row.wasNull() ? null : integer;
      case BOOLEAN:
        boolean flag = row.getBoolean(index);
        return row.wasNull() ? null : flag;
      case TIME:
        if (asEclipseLink) {
          Timestamp stamp = row.getTimestamp(index);
          return stamp == null ? null : stamp.toInstant();
        }
        // JDBC 4.2's java.time mapping: parsed without the Calendar a Timestamp needs, and the same
        // instant (timestamptz on PostgreSQL; H2's timestamp in the JVM's zone, UTC here).
        OffsetDateTime time = row.getObject(index, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
      case UUID:
        Object id = row.getObject(index);
        return id == null || id instanceof UUID ? id : UUID.fromString(id.toString());
      case JSON:
        String json = row.getString(index);
        if (json == null) {
          return null;
        }
        try (var reader = JSON.createReader(new StringReader(json))) {
          return reader.readValue();
        }
      default:
        throw new IllegalStateException("no JDBC mapping for " + field.type());
    }
  }

  private void bind(
      PreparedStatement statement,
      int index,
      FieldDefinition field,
      Object v,
      boolean asEclipseLink)
      throws SQLException {
    if (v == null) {
      statement.setNull(index, Types.NULL);
      return;
    }
    if (sqlite && field.type() == FieldType.TIME) {
      statement.setLong(index, SQLitePlatform.toMicros((Instant) v));
      return;
    }
    if (sqlite && field.type() == FieldType.UUID) {
      statement.setString(index, v.toString());
      return;
    }
    switch (field.type()) {
      case TEXT -> statement.setString(index, (String) v);
      case NUMBER -> statement.setDouble(index, ((Number) v).doubleValue());
      case INTEGER -> statement.setLong(index, ((Number) v).longValue());
      case BOOLEAN -> statement.setBoolean(index, (Boolean) v);
      case TIME -> {
        if (asEclipseLink) {
          statement.setTimestamp(index, Timestamp.from((Instant) v));
        } else {
          statement.setObject(index, OffsetDateTime.ofInstant((Instant) v, ZoneOffset.UTC));
        }
      }
      case UUID -> statement.setObject(index, v);
      case JSON -> statement.setString(index, ((JsonValue) v).toString());
      default -> throw new IllegalStateException("no JDBC mapping for " + field.type());
    }
  }
}
