package io.smlguardian.store.collection;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * One owner of one record, in the owner table of a collection whose records may each be about
 * several users (see {@link CollectionDescriptor#ownerTable()}): a row per owner and record,
 * written by the store with the record, and the way every read of one owner's records finds them.
 * The record names its owners itself too ({@link OwnedRecord#owners()}), which is what an archive
 * carries and what the owner table is rebuilt from.
 */
@MappedSuperclass
public abstract class RecordOwner {

  /** The field of the owner, as in {@link OwnedRecord#OWNER_FIELD}. */
  public static final String OWNER_FIELD = OwnedRecord.OWNER_FIELD;

  /** The field of the record's id. */
  public static final String RECORD_FIELD = "recordId";

  /**
   * The field in which a record of a collection with an owner table names its owners when it has
   * several: a JSON array of their ids, or null for a record of one owner, its {@code userId}.
   */
  public static final String NAMED_OWNERS_FIELD = "owners";

  /** The columns, which the store's own SQL names. */
  public static final String OWNER_COLUMN = "user_id";

  public static final String RECORD_COLUMN = "record_id";

  @Id
  @Column(name = OWNER_COLUMN, nullable = false, updatable = false, length = 128)
  private String userId;

  @Id
  @Column(name = RECORD_COLUMN, nullable = false, updatable = false)
  private UUID recordId;

  protected RecordOwner() {}

  /** The primary key of an owner table's row: the owner and the record. */
  public static final class Key implements Serializable {

    private static final long serialVersionUID = 1L;

    private String userId;
    private UUID recordId;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(userId, key.userId)
          && Objects.equals(recordId, key.recordId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(userId, recordId);
    }
  }
}
