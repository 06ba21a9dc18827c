package io.smlguardian.store.interaction;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * One exchange between the user and the companion within a session: its type, the agent mode that
 * answered, and how long the answer took in milliseconds.
 */
@Entity
@Table(name = "interactions")
public class Interaction extends OwnedRecord {

  @NotBlank
  @Size(max = 128)
  @Column(name = "session_id", nullable = false, updatable = false, length = 128)
  private String sessionId;

  @NotBlank
  @Size(max = 64)
  @Column(name = "type", nullable = false, length = 64)
  private String type;

  @PositiveOrZero
  @Column(name = "response_time")
  private Double responseTime;

  @Size(max = 64)
  @Column(name = "agent_mode", length = 64)
  private String agentMode;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  protected Interaction() {}
}
