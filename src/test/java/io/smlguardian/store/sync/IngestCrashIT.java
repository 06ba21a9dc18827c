package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server killed with SIGKILL after acknowledging records (202) and before flushing them, its
 * journal then torn at its end as a crash in the middle of a write leaves it: after the restart
 * every acknowledged record is in the database, once, before the service reports ready. Shown on
 * second servers whose flusher does not run meanwhile: one on the build's PostgreSQL whose flusher
 * waits an hour, one on a SQLite file of its own with auto-save off ({@code
 * PERSISTENCE_AUTO_SAVE=false}), whose records stay in the journal however short the interval and
 * small the batch, until the start's replay or a manual sync.
 */
@Tag("postgresql") // starts copies of the PostgreSQL test server: once per build is enough
class IngestCrashIT {

  private static final int REQUESTS = 10;
  private static final int PER_REQUEST = 20;
  private static final List<String> COLLECTIONS = List.of("interactions", "sessions");
  private static final String NEVER = "3600000"; // PERSISTENCE_AUTO_SAVE_INTERVAL: an hour
  private static final String LIMIT = "1048576"; // JOURNAL_MAX_BYTES: the least allowed, 1 MiB
  // INGEST_BATCH_SIZE: so many that no full batch starts a flush before the journal is full
  private static final String NO_BATCH = "100000";

  @Test
  void acknowledgedRecordsLandOnceAfterAKillOnPostgresql() throws Exception {
    Path journal = Files.createTempDirectory("guardian-ingest-pg").resolve("journal");
    crashAndRecover(
        "guardianStore-ingest-pg",
        Duration.ZERO,
        Map.of(
            "JOURNAL_DIR", journal.toString(),
            "PERSISTENCE_AUTO_SAVE_INTERVAL", NEVER,
            "JOURNAL_MAX_BYTES", LIMIT,
            "INGEST_BATCH_SIZE", NO_BATCH),
        journal);
  }

  @Test
  @OnItsOwnServers // its own SQLite file: beside the other, which uses the build's PostgreSQL
  void acknowledgedRecordsLandOnceAfterAKillOnSqlite() throws Exception {
    Path data = Files.createTempDirectory("guardian-ingest-sqlite");
    crashAndRecover(
        "guardianStore-ingest-sqlite",
        Duration.ofSeconds(2), // twenty intervals: records would have been flushed with auto-save
        Map.of(
            "DB_BACKEND",
            "sqlite",
            "DATA_DIR",
            data.toString(),
            "PERSISTENCE_AUTO_SAVE",
            "false",
            "PERSISTENCE_AUTO_SAVE_INTERVAL",
            "100",
            "JOURNAL_MAX_BYTES",
            LIMIT,
            "INGEST_BATCH_SIZE",
            "50"),
        data.resolve("ingest-journal")); // JOURNAL_DIR's default: in DATA_DIR
  }

  /**
   * @param idle how long to wait after the last acknowledgment before checking that nothing was
   *     flushed
   */
  private static void crashAndRecover(
      String name, Duration idle, Map<String, String> environment, Path journal) throws Exception {
    String run = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Client service = Api.as(TestTokens.token("it-ingest-crash", "service"));
    Api.Client operator = Api.as(TestTokens.token("it-ingest-crash-operator", "operator"));
    try (SecondServer server = SecondServer.start(name, environment)) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);
      String base = server.baseUrl();

      List<String[]> acknowledged = new ArrayList<>(); // collection, id
      for (int r = 0; r < REQUESTS; r++) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        List<String> collections = new ArrayList<>();
        for (int i = 0; i < PER_REQUEST; i++) {
          String collection = COLLECTIONS.get(i % COLLECTIONS.size());
          JsonObject record = Samples.record(collection, run + "-u" + (i % 10));
          if (i % 2 == 0) {
            record =
                Json.createObjectBuilder(record).add("id", UUID.randomUUID().toString()).build();
          }
          collections.add(collection);
          items.add(Json.createObjectBuilder().add("collection", collection).add("record", record));
        }
        Api.Reply reply = service.post(base + "/api/ingest", items.build());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        var ids = reply.object().getJsonArray("ids");
        for (int i = 0; i < PER_REQUEST; i++) {
          acknowledged.add(new String[] {collections.get(i), ids.getString(i)});
        }
      }
      Thread.sleep(idle.toMillis());
      JsonObject pending = operator.get(base + "/api/sync").object();
      assertThat(pending.getInt("pendingWrites")).as(pending.toString()).isEqualTo(200);
      assertThat(pending.getBoolean("isSynced")).isFalse();
      for (String collection : COLLECTIONS) {
        assertThat(countOfRun(service, base, collection, run)).isZero(); // not flushed yet
      }

      server.kill();
      Path last = lastSegment(journal);
      long whole = Files.size(last);
      // half a frame header: what a crash in the middle of an append leaves
      Files.write(last, new byte[] {0, 0, 1, 0}, StandardOpenOption.APPEND);
      server.restart(environment);
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);

      assertThat(Files.size(last)).isEqualTo(whole); // the torn tail was cut
      JsonObject status = operator.get(base + "/api/sync").object();
      assertThat(status.getInt("pendingWrites")).as(status.toString()).isZero();
      assertThat(status.getBoolean("isSynced")).isTrue();
      // Without auto-save, no flush is scheduled after the start's replay: the next is a manual
      // one.
      boolean autoSave = !"false".equals(environment.get("PERSISTENCE_AUTO_SAVE"));
      assertThat(status.isNull("nextSyncTime")).as(status.toString()).isEqualTo(!autoSave);
      for (String[] record : acknowledged) {
        Api.Reply found = service.get(base + "/api/collections/" + record[0] + "/" + record[1]);
        assertThat(found.status()).as(record[0] + "/" + record[1]).isEqualTo(200);
      }
      for (String collection : COLLECTIONS) {
        assertThat(countOfRun(service, base, collection, run))
            .as(collection)
            .isEqualTo(REQUESTS * PER_REQUEST / COLLECTIONS.size());
      }
      // Each ingest was audited through the journal: one entry per request, collection and owner
      // (here one collection per owner and request), written with the records, once.
      Api.Client auditor = Api.as(TestTokens.token("it-ingest-crash-auditor", "auditor"));
      for (int u = 0; u < 10; u++) {
        Api.Reply audited =
            auditor.get(
                base
                    + "/api/collections/access_logs/count?operation=eq.ingest&userId=eq."
                    + Api.q(run + "-u" + u));
        assertThat(audited.status()).as(audited.toString()).isEqualTo(200);
        assertThat(audited.object().getInt("count"))
            .as("ingest entries of u" + u)
            .isEqualTo(REQUESTS);
      }
      Api.Reply again = operator.post(base + "/api/sync", "");
      assertThat(again.status()).as(again.toString()).isEqualTo(200);
      assertThat(again.object().getInt("flushed")).isZero();

      journalBeyondItsLimitAnswers503(service, operator, base, run);
    }
  }

  /**
   * Requests of 500 records until the journal is full: the one that would exceed the limit gets a
   * 503 with Retry-After and none of its records is journaled; after a sync, ingest is accepted.
   */
  private static void journalBeyondItsLimitAnswers503(
      Api.Client service, Api.Client operator, String base, String run) {
    Api.Reply refused = null;
    for (int r = 0; r < 20 && refused == null; r++) {
      JsonArrayBuilder records = Json.createArrayBuilder();
      for (int i = 0; i < 500; i++) {
        records.add(Samples.record("sessions", run + "-full"));
      }
      long before = journalRecords(operator, base);
      Api.Reply reply = service.post(base + "/api/ingest/sessions", records.build());
      if (reply.status() == 503) {
        refused = reply;
        assertThat(journalRecords(operator, base)).isEqualTo(before);
      } else {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
      }
    }
    assertThat(refused).as("a 503 within 10,000 records of 1 MiB").isNotNull();
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.header("Retry-After")).isNotBlank();
    assertThat(refused.object().getString("detail")).contains("nothing of this request");
    assertThat(countOfUser(service, base, "sessions", run + "-full")).isZero(); // none flushed yet
    Api.Reply sync = operator.post(base + "/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
    long flushed = sync.object().getJsonNumber("flushed").longValue();
    assertThat(flushed).isPositive();
    assertThat(countOfUser(service, base, "sessions", run + "-full")).isEqualTo(flushed);
    Api.Reply after =
        service.post(base + "/api/ingest/sessions", Samples.record("sessions", run + "-full"));
    assertThat(after.status()).as(after.toString()).isEqualTo(202);
  }

  private static long journalRecords(Api.Client operator, String base) {
    return operator
        .get(base + "/api/sync")
        .object()
        .getJsonObject("journal")
        .getJsonNumber("records")
        .longValue();
  }

  private static long countOfUser(Api.Client client, String base, String collection, String user) {
    Api.Reply reply =
        client.get(base + "/api/collections/" + collection + "/count?userId=eq." + Api.q(user));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object().getJsonNumber("count").longValue();
  }

  private static long countOfRun(Api.Client client, String base, String collection, String run) {
    long total = 0;
    for (int u = 0; u < 10; u++) {
      Api.Reply reply =
          client.get(
              base
                  + "/api/collections/"
                  + collection
                  + "/count?userId=eq."
                  + Api.q(run + "-u" + u));
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      total += reply.object().getJsonNumber("count").longValue();
    }
    return total;
  }

  private static Path lastSegment(Path journal) throws Exception {
    try (Stream<Path> files = Files.list(journal)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".log"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  private static void awaitReady(SecondServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Api.anonymous().get(server.serverUrl() + "/health/ready").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // still starting
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("not ready: " + server.serverUrl());
  }
}
