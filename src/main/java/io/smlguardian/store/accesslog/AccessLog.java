package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * One entry of the audit trail: who accessed whose data, how, from where, whether it succeeded and
 * why. The user is the one whose data was accessed.
 */
@Entity
@Table(name = "access_logs")
public class AccessLog extends OwnedRecord {

  @NotBlank
  @Size(max = 64)
  @Column(name = "access_type", nullable = false, length = 64)
  private String accessType;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  @Size(max = 64)
  @Column(name = "ip_address", length = 64)
  private String ipAddress;

  @NotNull
  @Column(name = "success", nullable = false)
  private Boolean success;

  @Size(max = 1000)
  @Column(name = "reason", length = 1000)
  private String reason;

  protected AccessLog() {}
}
