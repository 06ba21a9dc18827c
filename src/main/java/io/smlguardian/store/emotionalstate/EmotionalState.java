package io.smlguardian.store.emotionalstate;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * The user's emotional state at a moment: the emotion, its intensity and its stability (0 to 1).
 */
@Entity
@Table(name = "emotional_states")
public class EmotionalState extends OwnedRecord {

  @NotBlank
  @Size(max = 64)
  @Column(name = "emotion", nullable = false, length = 64)
  private String emotion;

  @NotNull
  @DecimalMin("0")
  @DecimalMax("1")
  @Column(name = "intensity", nullable = false)
  private Double intensity;

  @DecimalMin("0")
  @DecimalMax("1")
  @Column(name = "stability")
  private Double stability;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  protected EmotionalState() {}
}
