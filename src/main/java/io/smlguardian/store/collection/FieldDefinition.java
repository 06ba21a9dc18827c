package io.smlguardian.store.collection;

import java.lang.reflect.Field;

/**
 * One field of a collection's records: its JSON name (which is also the entity attribute's name),
 * its kind, whether a record must have it, and who may write it.
 *
 * @param name the field's name in JSON and in the entity
 * @param type the kind of value
 * @param required whether a record is invalid without it
 * @param access who may write it and when
 * @param member the entity field that holds it
 */
public record FieldDefinition(
    String name, FieldType type, boolean required, Access access, Field member) {

  /** Who may write a field. */
  public enum Access {
    /** Assigned by the store (id, createdAt, version); never taken from a request. */
    GENERATED,
    /** Given at insert, never changed afterwards (the owner, external ids). */
    IMMUTABLE,
    /** Given at insert and changeable by an update. */
    MUTABLE
  }

  public boolean writableOnInsert() {
    return access != Access.GENERATED;
  }

  public boolean writableOnUpdate() {
    return access == Access.MUTABLE;
  }

  /** Reads this field of an entity. */
  public Object read(Object entity) {
    try {
      return member.get(entity);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }

  /** Writes this field of an entity; only the store's mapping code calls this. */
  public void write(Object entity, Object value) {
    try {
      member.set(entity, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot write " + name, e);
    }
  }
}
