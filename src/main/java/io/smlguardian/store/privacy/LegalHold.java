package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A legal hold on a user: while it stands, the user's data may be neither erased nor purged by
 * retention. Placed and released by privacy officers; who and why are kept with it.
 */
@Entity
@Table(name = "legal_holds")
public class LegalHold extends OwnedRecord {

  @NotBlank
  @Size(max = 1000)
  @Column(name = "reason", nullable = false, updatable = false, length = 1000)
  private String reason;

  @NotBlank
  @Size(max = 256)
  @Column(name = "placed_by", nullable = false, updatable = false, length = 256)
  private String placedBy;

  protected LegalHold() {}

  LegalHold(String userId, String reason, String placedBy) {
    super(userId);
    this.reason = reason;
    this.placedBy = placedBy;
  }

  public String reason() {
    return reason;
  }

  public String placedBy() {
    return placedBy;
  }
}
