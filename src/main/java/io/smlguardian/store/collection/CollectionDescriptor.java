package io.smlguardian.store.collection;

import java.lang.reflect.Constructor;
import java.time.Period;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the generic store, service and REST resource need to know about one collection: its
 * name, entity, data category, default retention, the time that retention and default ordering go
 * by, and the fields that may be used in filters and sort orders (each backed by an index).
 *
 * <p>Every field may be returned and projected; only the declared query fields may reach a query,
 * so a field name from a request never reaches SQL unless the collection declared it. The id, the
 * creation time and, for owned collections, the owner are always query fields.
 *
 * @param <E> the collection's entity
 */
public final class CollectionDescriptor<E extends StoredRecord> {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z_]*");

  private final String name;
  private final Class<E> entityClass;
  private final DataCategory category;
  private final Period defaultRetention;
  private final String timeField;
  private final Set<String> queryFields;
  private final RecordSchema schema;
  private final Class<? extends RecordOwner> ownerTable;
  // Looked up once: getDeclaredConstructor copies the constructor at each call (in a profile of
  // the ingest, an eighth of what the server allocated).
  private final Constructor<E> blankConstructor;

  public CollectionDescriptor(
      String name,
      Class<E> entityClass,
      DataCategory category,
      Period defaultRetention,
      String timeField,
      List<String> queryFields) {
    this(name, entityClass, category, defaultRetention, timeField, queryFields, null);
  }

  /**
   * A collection whose records may each be about several users, found by owner through an owner
   * table (see {@link #ownerTable()}).
   */
  public CollectionDescriptor(
      String name,
      Class<E> entityClass,
      DataCategory category,
      Period defaultRetention,
      String timeField,
      List<String> queryFields,
      Class<? extends RecordOwner> ownerTable) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("collection name must be snake_case: " + name);
    }
    this.name = name;
    this.entityClass = entityClass;
    this.category = category;
    this.defaultRetention = defaultRetention;
    this.timeField = timeField;
    this.schema = RecordSchema.of(entityClass);
    try {
      this.blankConstructor = entityClass.getDeclaredConstructor();
      blankConstructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          entityClass.getName() + " has no constructor without arguments", e);
    }
    if (ownerTable != null
        && (!owned()
            || schema.field(RecordOwner.NAMED_OWNERS_FIELD).map(FieldDefinition::type).orElse(null)
                != FieldType.JSON)) {
      throw new IllegalArgumentException(
          name + " has an owner table but no owner, or no JSON field naming several owners");
    }
    this.ownerTable = ownerTable;

    Set<String> fields = new LinkedHashSet<>(List.of("id", "createdAt"));
    if (owned()) {
      fields.add(OwnedRecord.OWNER_FIELD);
    }
    fields.add(timeField);
    fields.addAll(queryFields);
    for (String field : fields) {
      FieldDefinition definition =
          schema
              .field(field)
              .orElseThrow(() -> new IllegalArgumentException(name + " has no field " + field));
      if (definition.type() == FieldType.JSON) {
        throw new IllegalArgumentException(name + "." + field + " is JSON and cannot be queried");
      }
    }
    if (schema.field(timeField).orElseThrow().type() != FieldType.TIME) {
      throw new IllegalArgumentException(name + "." + timeField + " is not a time");
    }
    this.queryFields = Set.copyOf(fields);
  }

  /** The collection's name in URLs, tables and exports, e.g. {@code emotional_states}. */
  public String name() {
    return name;
  }

  public Class<E> entityClass() {
    return entityClass;
  }

  public DataCategory category() {
    return category;
  }

  /** The seed's retention period; configuration may override it. */
  public Period defaultRetention() {
    return defaultRetention;
  }

  /** The field that says when a record happened: default sort order and retention go by it. */
  public String timeField() {
    return timeField;
  }

  /** Whether records belong to a user (every collection but metrics). */
  public boolean owned() {
    return OwnedRecord.class.isAssignableFrom(entityClass);
  }

  /**
   * The entity of the table that lists each record's owners, a row per owner and record ({@link
   * RecordOwner}), for a collection whose records may each be about several users (the audit
   * trail): the store writes the rows with the records, and a filter on the owner matches the
   * records that have a row for it. Empty for the others, whose owner is their {@code userId}.
   */
  public Optional<Class<? extends RecordOwner>> ownerTable() {
    return Optional.ofNullable(ownerTable);
  }

  public RecordSchema schema() {
    return schema;
  }

  /** The fields that filters and sort orders may name. */
  public Set<String> queryFields() {
    return queryFields;
  }

  public boolean isQueryField(String field) {
    return queryFields.contains(field);
  }

  /**
   * A blank record of the collection, through the entity's protected no-argument constructor: for
   * the mapping code (the mapper, the MongoDB store) that fills it from its schema.
   */
  public E blankRecord() {
    try {
      return blankConstructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + entityClass.getName(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
