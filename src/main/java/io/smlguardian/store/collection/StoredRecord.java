package io.smlguardian.store.collection;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * What every record of every collection has: an identity, a creation time and a version.
 *
 * <p>The three are the store's, never the caller's: they have no setters, are assigned when the
 * record is first persisted and never change afterwards (the version only by the store's optimistic
 * locking). Times are kept at microsecond precision, the precision of PostgreSQL's timestamptz, so
 * that what is returned after an insert equals what a later read returns.
 */
@MappedSuperclass
public abstract class StoredRecord {

  @Id
  @Column(name = "id", nullable = false, updatable = false)
  private UUID id;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Version
  @Column(name = "version", nullable = false)
  private long version;

  protected StoredRecord() {}

  /** For records whose id is derived from a natural key, so that it can be found by it. */
  protected StoredRecord(UUID id) {
    this.id = id;
  }

  /**
   * Assigns the id and the creation time, unless already assigned. JPA calls this before the first
   * persist; a store that is not JPA calls it itself when it inserts the record.
   */
  @PrePersist
  public void assignIdentity() {
    if (id == null) {
      id = UUID.randomUUID();
    }
    if (createdAt == null) {
      createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
  }

  /**
   * Assigns what a first insert assigns, for a store that inserts without JPA: the identity (see
   * {@link #assignIdentity}) and the first version, 1, where JPA's optimistic locking starts it.
   */
  public void assignFirstInsert() {
    assignIdentity();
    version = 1;
  }

  public UUID getId() {
    return id;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public long getVersion() {
    return version;
  }
}
