package io.smlguardian.store.session;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A conversation session between a user and the companion. The session id is the caller's (the one
 * interactions refer to) and never changes; a session without an end time is still open.
 */
@Entity
@Table(name = "sessions")
public class Session extends OwnedRecord {

  @NotBlank
  @Size(max = 128)
  @Column(name = "session_id", nullable = false, updatable = false, length = 128)
  private String sessionId;

  @NotNull
  @Column(name = "start_time", nullable = false)
  private Instant startTime;

  @Column(name = "end_time")
  private Instant endTime;

  @Column(name = "metadata")
  private JsonValue metadata;

  protected Session() {}

  @AssertTrue(message = "endTime must not be before startTime")
  boolean isEndAfterStart() {
    return endTime == null || startTime == null || !endTime.isBefore(startTime);
  }
}
