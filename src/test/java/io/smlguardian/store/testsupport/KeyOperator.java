package io.smlguardian.store.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * An operator of one server's keys, over HTTP: the hierarchy's state, rotations (waited for), key
 * escrows written, copied into another server's KEY_DIR and imported there.
 */
public final class KeyOperator {

  private static final Set<String> ENDED = Set.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED");

  private final String baseUrl;
  private final Api.Client operator =
      Api.as(TestTokens.token("it-key-operator-" + UUID.randomUUID(), "operator"));

  public KeyOperator(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The server the tests run against. */
  public static KeyOperator ofServerUnderTest() {
    return new KeyOperator(Api.BASE_URL);
  }

  public JsonObject state() {
    Api.Reply reply = operator.get(baseUrl + "/api/keys");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  public Api.Reply startRotation(String query) {
    return operator.post(baseUrl + "/api/keys/rotations" + query, "");
  }

  /** Rotates (with the query's parameters, e.g. {@code ?retention=PT0S}) and waits; the run. */
  public JsonObject rotate(String query) {
    Api.Reply started = startRotation(query);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long id = started.object().getJsonNumber("executionId").longValue();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject run = operator.get(baseUrl + "/api/keys/rotations/" + id).object();
      if (ENDED.contains(run.getString("status"))) {
        return run;
      }
      sleep(300);
    }
    throw new AssertionError("key rotation " + id + " did not end within 3 minutes");
  }

  /** Writes an escrow; its name. */
  public String writeEscrow() {
    Api.Reply written = operator.post(baseUrl + "/api/keys/escrows", "");
    assertThat(written.status()).as(written.toString()).isEqualTo(201);
    return written.object().getString("name");
  }

  public Api.Reply importEscrow(String name) {
    return operator.post(baseUrl + "/api/keys/escrows/" + name + "/import", "");
  }

  /** Copies an escrow from one KEY_DIR into another, as an operator moving a store does. */
  public static void copyEscrow(Path fromKeyDir, Path toKeyDir, String name) {
    try {
      Files.createDirectories(toKeyDir);
      Files.copy(
          fromKeyDir.resolve(name), toKeyDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the server answers ready (the application started), at most 4 minutes. */
  public static void awaitReady(String serverUrl) {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Api.anonymous().get(serverUrl + "/health/ready").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      sleep(500);
    }
    throw new AssertionError(serverUrl + " not ready within 4 minutes");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
