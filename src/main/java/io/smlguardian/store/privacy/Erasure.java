package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * That a user was erased, and when: every record of the user written before then is gone for good,
 * from the live store and from whatever a restore brings back. Its id is the erasure receipt's, so
 * the same erasure met in two copies (the store's and an archive's) is one row.
 *
 * <p>The owner is the erased user; the row holds no data of theirs.
 */
@Entity
@Table(name = "erasures")
public class Erasure extends OwnedRecord {

  @NotNull
  @Column(name = "erased_at", nullable = false, updatable = false)
  private Instant erasedAt;

  @NotBlank
  @Size(max = 256)
  @Column(name = "erased_by", nullable = false, updatable = false, length = 256)
  private String erasedBy;

  protected Erasure() {}

  Erasure(UUID receiptId, String userId, Instant erasedAt, String erasedBy) {
    super(receiptId, userId);
    if (receiptId == null || erasedAt == null || erasedBy == null || erasedBy.isBlank()) {
      throw new IllegalArgumentException("an erasure needs its receipt id, time and officer");
    }
    this.erasedAt = erasedAt;
    this.erasedBy = erasedBy;
  }

  public Instant erasedAt() {
    return erasedAt;
  }

  public String erasedBy() {
    return erasedBy;
  }
}
