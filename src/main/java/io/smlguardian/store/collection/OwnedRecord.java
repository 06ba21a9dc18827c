package io.smlguardian.store.collection;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A record that belongs to one user of the platform. The owner is what export, erasure and access
 * control key on, so it is required at insert and can never be changed afterwards.
 */
@MappedSuperclass
public abstract class OwnedRecord extends StoredRecord {

  /** The name of the owner field in every owned collection. */
  public static final String OWNER_FIELD = "userId";

  @NotBlank
  @Size(max = 128)
  @Column(name = "user_id", nullable = false, updatable = false, length = 128)
  private String userId;

  protected OwnedRecord() {}

  /** For records the store itself creates, such as audit entries. */
  protected OwnedRecord(String userId) {
    this(null, userId);
  }

  /**
   * As {@link #OwnedRecord(String)}, under an id chosen by the store: derived from a natural key
   * (erasures), or one that others already name (imported keys).
   */
  protected OwnedRecord(java.util.UUID id, String userId) {
    super(id);
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("a record needs its owner's userId");
    }
    this.userId = userId;
  }

  public String getUserId() {
    return userId;
  }

  /**
   * Whose data the record is about: its owner, or, in a collection with an owner table, the users
   * it names (see {@link CollectionDescriptor#ownerTable()}). Never empty.
   */
  public java.util.List<String> owners() {
    return java.util.List.of(userId);
  }
}
