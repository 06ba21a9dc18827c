package io.smlguardian.store.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.PurgeRuns;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The Prometheus scrape on whichever backend the server runs: it is served on HTTPS to operators'
 * tokens only, and holds the store's timers per backend, collection and operation, the REST
 * endpoints' request timers, the connection pool's figures and the batch jobs' outcomes.
 */
class MetricsIT {

  private static final String METRICS = Api.SERVER_HTTPS_URL + "/metrics";
  private static final String STORE_TIMER = "guardian_store_operation_seconds_count";
  private static final String EXECUTIONS = "guardian_batch_job_executions_total";

  /** The build's servers poll the job repository at the default interval. */
  private static final long POLL_SECONDS = 5;

  private final Api.Client operator = Api.as(TestTokens.token("it-metrics-operator", "operator"));
  private final PurgeRuns purges = new PurgeRuns(operator);

  @Test
  void theScrapeIsPrometheusTextForOperators() {
    Api.Reply reply = operator.get(METRICS);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain");
    assertThat(reply.raw().body()).contains("# TYPE " + STORE_TIMER.replace("_count", "") + " ");
    new PrometheusText(reply.raw().body()); // every line parses
  }

  @Test
  void nobodyElseReadsTheMetrics() {
    Api.Reply anonymous = Api.anonymous().get(METRICS);
    Api.Reply service = Api.get(METRICS);
    Api.Reply plainHttp = operator.get(Api.SERVER_URL + "/metrics");

    assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
    assertThat(service.status()).as(service.toString()).isEqualTo(403);
    assertThat(anonymous.raw().body() + service.raw().body()).doesNotContain("# TYPE");
    // Plain HTTP is sent to HTTPS: a token never needs to travel in clear.
    assertThat(plainHttp.status()).isEqualTo(302);
    assertThat(plainHttp.header("Location")).startsWith("https://");
    assertThat(plainHttp.raw().body()).doesNotContain("# TYPE");
  }

  @Test
  void everyStoreOperationIsTimedByBackendCollectionAndOperation() {
    Map<String, String> inserts =
        Map.of("backend", Stored.BACKEND, "collection", "memories", "operation", "insert");
    // A read by id is made in the audit trail's shared commit, by ids, with the others waiting.
    Map<String, String> finds =
        Map.of("backend", Stored.BACKEND, "collection", "memories", "operation", "findByIds");
    PrometheusText before = scrape();

    Api.Reply created =
        Api.post("/api/collections/memories", Samples.record("memories", "it-metrics-user"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(Api.get("/api/collections/memories/" + created.object().getString("id")).status())
        .isEqualTo(200);
    PrometheusText after = scrape();

    assertThat(after.value(STORE_TIMER, inserts) - before.value(STORE_TIMER, inserts)).isEqualTo(1);
    assertThat(after.value(STORE_TIMER, finds) - before.value(STORE_TIMER, finds)).isEqualTo(1);
    assertThat(after.value("guardian_store_operation_seconds_sum", inserts)).isPositive();
    assertThat(after.find("guardian_store_operation_seconds", inserts))
        .extracting(s -> s.labels().get("quantile"))
        .contains("0.5", "0.99");
  }

  @Test
  void requestsAreNotTimedOneByOneUnlessTheOperatorAsksForIt() {
    // MONITOR_FILTER's default leaves out Liberty's per-request monitors (server.xml): the store's
    // operations are timed (above), the requests around them are not.
    Api.get("/api/collections/memories?limit=1");

    PrometheusText metrics = scrape();

    assertThat(metrics.find(STORE_TIMER, Map.of())).isNotEmpty();
    assertThat(metrics.find("REST_request_seconds_count", Map.of())).isEmpty();
    assertThat(metrics.find("http_server_request_duration_seconds_count", Map.of())).isEmpty();
  }

  @Test
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "mongodb",
      disabledReason = "MongoDB's pool is the driver's, shown by /api/status; no JDBC pool is used")
  void theDatasourcePoolIsMeasured() {
    Api.get("/api/collections/memories/count");

    PrometheusText metrics = scrape();

    Map<String, String> pool = Map.of("datasource", "jdbc_guardian");
    assertThat(metrics.find("connectionpool_managedConnections", pool)).hasSize(1);
    assertThat(metrics.value("connectionpool_managedConnections", pool)).isPositive();
    assertThat(metrics.value("connectionpool_create_total", pool)).isPositive();
    assertThat(metrics.find("connectionpool_connectionHandles", pool)).hasSize(1);
  }

  @Test
  void endedJobExecutionsAreCountedOnceByJobAndStatus() {
    long id = purges.startDryRun();
    JsonObject run = purges.await(id);
    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    long completed = completedPurges();

    // The counter follows the job repository at each poll (OPS_JOB_POLL_SECONDS): it reaches the
    // number of completed runs, this one included, and no more.
    Map<String, String> labels = Map.of("job", "retention-purge", "status", "COMPLETED");
    PrometheusText metrics = awaitCounted(labels, completed);
    assertThat(metrics.value(EXECUTIONS, labels)).isEqualTo(completed);
    assertThat(metrics.value("guardian_batch_job_running", Map.of("job", "retention-purge")))
        .isZero();
    assertThat(
            metrics.value(
                "guardian_batch_job_last_success_seconds", Map.of("job", "retention-purge")))
        .isGreaterThanOrEqualTo(Instant.parse(run.getString("end")).getEpochSecond());
  }

  /**
   * How many retention runs completed since the server started, as the retention API lists them.
   */
  private long completedPurges() {
    return operator.get("/api/retention/runs?limit=200").items().stream()
        .filter(r -> r.asJsonObject().getString("status").equals("COMPLETED"))
        .count();
  }

  private PrometheusText awaitCounted(Map<String, String> labels, double expected) {
    Instant deadline = Instant.now().plus(1, ChronoUnit.MINUTES);
    PrometheusText metrics = scrape();
    while (metrics.value(EXECUTIONS, labels) < expected && Instant.now().isBefore(deadline)) {
      sleep(250);
      metrics = scrape();
    }
    // One more poll: a count that went on past the expected number would show now.
    sleep(TimeUnit.SECONDS.toMillis(POLL_SECONDS) + 500);
    return scrape();
  }

  private PrometheusText scrape() {
    Api.Reply reply = operator.get(METRICS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return new PrometheusText(reply.raw().body());
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
