package io.smlguardian.store.memory;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.json.JsonValue;
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
 * A consolidated memory: a pattern the companion learned about its user, with how strongly it holds
 * (0 to 1). Patterns and metadata are free-form JSON.
 */
@Entity
@Table(name = "memories")
public class Memory extends OwnedRecord {

  @NotBlank
  @Size(max = 100)
  @Column(name = "type", nullable = false, length = 100)
  private String type;

  @NotNull
  @DecimalMin("0")
  @DecimalMax("1")
  @Column(name = "strength", nullable = false)
  private Double strength;

  @Column(name = "patterns")
  private JsonValue patterns;

  @Column(name = "metadata")
  private JsonValue metadata;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  protected Memory() {}
}
