package io.smlguardian.store.dreamcycle;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * One self-reflection cycle: when it ran (schedule), which memories it replayed, the simulations it
 * played through and the insights it drew. The cycle id is the caller's and never changes.
 */
@Entity
@Table(name = "dream_cycles")
public class DreamCycle extends OwnedRecord {

  @NotBlank
  @Size(max = 128)
  @Column(name = "cycle_id", nullable = false, updatable = false, length = 128)
  private String cycleId;

  @Size(max = 200)
  @Column(name = "schedule", length = 200)
  private String schedule;

  @Column(name = "memories")
  private JsonValue memories;

  @Column(name = "simulations")
  private JsonValue simulations;

  @Column(name = "insights")
  private JsonValue insights;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  protected DreamCycle() {}
}
