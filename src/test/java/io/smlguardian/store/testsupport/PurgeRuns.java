package io.smlguardian.store.testsupport;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Retention purge runs started and awaited through {@code /api/retention/runs}, for tests that need
 * a batch job execution to look at (status, jobs, metrics, the console).
 */
public final class PurgeRuns {

  public static final Set<String> ENDED = Set.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED");

  private final Api.Client operator;

  public PurgeRuns(Api.Client operator) {
    this.operator = operator;
  }

  /** Starts a dry run (it deletes nothing) once no run is in progress; returns its execution id. */
  public long startDryRun() {
    awaitNoRun();
    Api.Reply started = operator.post("/api/retention/runs?dryRun=true", "");
    if (started.status() != 202) {
      throw new AssertionError("the dry run did not start: " + started);
    }
    return started.object().getJsonNumber("executionId").longValue();
  }

  /** Waits until the run ended, and returns it as the retention API shows it. */
  public JsonObject await(long executionId) {
    Instant deadline = Instant.now().plus(3, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      Api.Reply run = operator.get("/api/retention/runs/" + executionId);
      if (run.status() == 200 && ENDED.contains(run.object().getString("status"))) {
        return run.object();
      }
      sleep(200);
    }
    throw new AssertionError("retention run " + executionId + " did not end");
  }

  /** Waits until no retention run is in progress (runs never overlap). */
  public void awaitNoRun() {
    Instant deadline = Instant.now().plus(3, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      boolean running =
          operator.get("/api/retention/runs").items().stream()
              .anyMatch(r -> !ENDED.contains(r.asJsonObject().getString("status")));
      if (!running) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError("a retention run is still in progress");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
