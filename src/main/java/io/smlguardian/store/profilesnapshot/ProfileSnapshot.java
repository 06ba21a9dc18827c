package io.smlguardian.store.profilesnapshot;

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
 * The user's profile at one point in time, for tracking its evolution: the profile dimensions, an
 * evolution score and insights. The snapshot id is the caller's and never changes.
 */
@Entity
@Table(name = "profile_snapshots")
public class ProfileSnapshot extends OwnedRecord {

  @NotBlank
  @Size(max = 128)
  @Column(name = "snapshot_id", nullable = false, updatable = false, length = 128)
  private String snapshotId;

  @Column(name = "dimensions")
  private JsonValue dimensions;

  @Column(name = "evolution_score")
  private Double evolutionScore;

  @Column(name = "insights")
  private JsonValue insights;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  protected ProfileSnapshot() {}
}
