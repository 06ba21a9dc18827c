package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.backup.archive.ArchiveForgery;
import io.smlguardian.store.backup.archive.ArchiveReader;
import io.smlguardian.store.backup.archive.ArchiveWriter;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import io.smlguardian.store.backup.archive.SegmentedEncryption;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.metric.Metrics;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Restores that never leave the store empty or mixed, on the server under test (every backend's
 * run): a restore under a loop of authenticated and unauthenticated requests switches the whole
 * backup in at once (every read sees the store before it or after it, never in between) and every
 * request is answered; an erasure requested while a restore runs is honoured after it (on MongoDB,
 * one that meets the switch's maintenance is refused with 503 and honoured when asked again); a
 * restore that fails at its very end (a record the switch cannot write, late in the archive) leaves
 * the store as it was.
 */
class RestoreIsolationIT {

  private static final BackupClient SERVER = BackupClient.ofServerUnderTest();
  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-isolation-officer", "privacy-officer"));
  private static final Api.Client AUDITOR =
      Api.as(TestTokens.token("it-isolation-auditor", "auditor"));
  private static final int BULK = 500;

  @Test
  void aRestoreUnderTrafficSwitchesAtOnceAndEveryRequestIsAnswered() throws Exception {
    String user = "iso-" + UUID.randomUUID();
    seed(user, 5000);
    long seeded = SERVER.count("interactions", "userId=eq." + Api.q(user));
    String id = SERVER.backUp().getString("backupId");
    SERVER.insert("interactions", Samples.record("interactions", user)); // not in the backup
    String writer = "iso-writer-" + UUID.randomUUID();
    Set<Long> countsSeen = ConcurrentHashMap.newKeySet();
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    List<Integer> anonymous = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService traffic = Executors.newFixedThreadPool(3);
    Api.Client service = SERVER.service();
    String base = SERVER.baseUrl();
    traffic.submit(
        () -> {
          while (running.get()) {
            Api.Reply reply =
                service.get(base + "/api/collections/interactions/count?userId=eq." + Api.q(user));
            if (reply.status() == 200) {
              countsSeen.add(reply.object().getJsonNumber("count").longValue());
            } else if (!retryLater(reply)) {
              unexpected.add("read: " + reply);
            }
          }
        });
    traffic.submit(
        () -> {
          while (running.get()) {
            Api.Reply reply =
                service.post(
                    base + "/api/collections/interactions", Samples.record("interactions", writer));
            if (reply.status() != 201 && !retryLater(reply)) {
              unexpected.add("write: " + reply);
            }
          }
        });
    traffic.submit(
        () -> {
          while (running.get()) {
            anonymous.add(Api.anonymous().get(base + "/api/collections/interactions").status());
          }
        });

    JsonObject restore = SERVER.restore(id, true);
    running.set(false);
    traffic.shutdown();
    assertThat(traffic.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    assertThat(SERVER.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(seeded);
    // Before the switch the store as it was (one more), after it the backup: nothing between.
    assertThat(countsSeen).isNotEmpty().isSubsetOf(seeded, seeded + 1);
    assertThat(unexpected).isEmpty();
    assertThat(anonymous).isNotEmpty().containsOnly(401);
    JsonObject ledger = AUDITOR.get(base + "/api/audit/ledger/verification").object();
    assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
  }

  @Test
  void anErasureRequestedWhileARestoreRunsIsHonouredAfterIt() throws Exception {
    String erased = "iso-erased-" + UUID.randomUUID();
    String kept = "iso-kept-" + UUID.randomUUID();
    seed(erased, 10_000);
    seed(kept, 10);
    long seededErased = SERVER.count("interactions", "userId=eq." + Api.q(erased));
    long seededKept = SERVER.count("interactions", "userId=eq." + Api.q(kept));
    String id = SERVER.backUp().getString("backupId");

    Api.Reply started = SERVER.startRestore(id, true);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long execution = started.object().getJsonNumber("executionId").longValue();
    Api.Reply erasure = OFFICER.delete(SERVER.baseUrl() + "/api/privacy/users/" + erased, null);
    // MongoDB: refused while the restore's switch runs in maintenance, and asked again after.
    boolean refusedInMaintenance = false;
    while (retryLater(erasure) && erasure.object().getString("detail").contains("maintenance")) {
      refusedInMaintenance = true;
      Thread.sleep(Long.parseLong(erasure.header("Retry-After")) * 1000);
      erasure = OFFICER.delete(SERVER.baseUrl() + "/api/privacy/users/" + erased, null);
    }
    JsonObject job = SERVER.await(execution);

    assertThat(erasure.status()).as(erasure.toString()).isEqualTo(200);
    assertThat(job.getString("status")).as(job.toString()).isEqualTo("COMPLETED");
    if (!refusedInMaintenance) {
      Instant erasedAt = Instant.parse(erasure.object().getString("erasedAt"));
      assertThat(erasedAt)
          .as("erased while the restore ran")
          .isBetween(Instant.parse(job.getString("start")), Instant.parse(job.getString("end")));
    }
    assertThat(SERVER.count("interactions", "userId=eq." + Api.q(erased))).isZero();
    assertThat(SERVER.count("interactions", "userId=eq." + Api.q(kept))).isEqualTo(seededKept);
    JsonObject skipped = job.getJsonObject("result").getJsonObject("skipped");
    long left =
        count(skipped.getJsonObject("erased"), "interactions")
            + count(skipped.getJsonObject("erasedDuringRestore"), "interactions");
    assertThat(left).as(skipped.toString()).isEqualTo(seededErased);
  }

  @Test
  void aRestoreThatFailsAtItsEndLeavesTheStoreAsItWas() throws Exception {
    String user = "iso-late-" + UUID.randomUUID();
    seed(user, 20);
    long seeded = SERVER.count("interactions", "userId=eq." + Api.q(user));
    SERVER.insert("metrics", Samples.record("metrics", user));
    String id = SERVER.backUp().getString("backupId");
    Path original = Files.createTempFile("restore-isolation", ".zip");
    Files.write(original, SERVER.download(id));
    BackupId forged = BackupId.at(Instant.now());
    Path damaged = Files.createTempFile("restore-isolation", ".zip");
    try (ArchiveReader reader =
        ArchiveReader.open(original, BackupId.parse(id), ArchiveForgery.serversKey())) {
      Assumptions.assumeFalse(
          reader.manifest().encrypted(), "this server encrypts its backups with a key of its own");
      withADuplicateLastRecord(reader, forged, damaged);
    }
    Api.Reply uploaded = SERVER.upload(forged.value(), Files.readAllBytes(damaged));
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    String after = "iso-after-" + UUID.randomUUID();
    SERVER.insert("interactions", Samples.record("interactions", after)); // not in the archive
    long metrics = SERVER.count("metrics", "");

    JsonObject restore = SERVER.restore(forged.value(), true);

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("FAILED");
    assertThat(SERVER.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(seeded);
    assertThat(SERVER.count("interactions", "userId=eq." + Api.q(after))).isEqualTo(1);
    assertThat(SERVER.count("metrics", "")).isEqualTo(metrics);
    assertThat(SERVER.delete("/api/backups/" + forged.value()).status()).isEqualTo(204);
  }

  /**
   * A copy of the archive, every checksum right, whose last entry (metrics, the last collection the
   * switch writes) holds one record twice: it verifies and loads, and only the switch's write of
   * that record fails.
   */
  private static void withADuplicateLastRecord(ArchiveReader reader, BackupId id, Path file)
      throws Exception {
    BackupContents contents = new BackupContents(RegisteredCollections.registry());
    Manifest manifest = reader.manifest();
    RecordSnapshot copy =
        new RecordSnapshot() {
          @Override
          public <E extends StoredRecord> void read(
              CollectionDescriptor<E> collection, RecordConsumer<? super E> consumer)
              throws java.io.IOException {
            for (Manifest.Entry entry : manifest.entries()) {
              if (entry.collection().equals(collection.name())) {
                List<E> first = new ArrayList<>();
                reader.readRecords(
                    entry,
                    collection,
                    null,
                    record -> {
                      if (first.isEmpty()) {
                        first.add(record);
                      }
                      consumer.accept(record);
                    });
                if (collection == Metrics.COLLECTION) {
                  assertThat(first).as("the archive's metrics").isNotEmpty();
                  consumer.accept(first.get(0));
                }
              }
            }
          }

          @Override
          public void close() {}
        };
    try (ArchiveWriter writer =
        new ArchiveWriter(
            file,
            id,
            manifest.backend(),
            manifest.schemaVersion(),
            true,
            null,
            SegmentedEncryption.DEFAULT_SEGMENT_BYTES,
            ArchiveWriter.BLOCK_BYTES,
            null,
            ArchiveForgery.serversKey())) {
      for (CollectionDescriptor<?> collection : contents.all()) {
        if (contents.named(collection.name()).isPresent()
            && manifest.entries().stream()
                .anyMatch(e -> e.collection().equals(collection.name()))) {
          writer.write(collection, copy, () -> false);
        }
      }
      writer.finish();
    }
  }

  /** A 503 that says when to come back: the database busy, or maintenance (MongoDB's switch). */
  private static boolean retryLater(Api.Reply reply) {
    return reply.status() == 503
        && reply.header("Retry-After") != null
        && "application/problem+json".equals(reply.contentType());
  }

  private static long count(JsonObject counts, String collection) {
    return counts.containsKey(collection) ? counts.getJsonNumber(collection).longValue() : 0;
  }

  /**
   * Stores that many interactions of the user, in arrays of {@value #BULK}; where a backend cannot
   * store an array all or nothing (MongoDB answers 501), through the write-behind ingest, which
   * takes arrays on every backend, and a sync that lands them before it answers.
   */
  static void seed(String user, int records) {
    for (int done = 0; done < records; done += BULK) {
      JsonArrayBuilder batch = Json.createArrayBuilder();
      for (int i = 0; i < Math.min(BULK, records - done); i++) {
        batch.add(Samples.record("interactions", user));
      }
      Api.Reply reply =
          SERVER.service().post(SERVER.baseUrl() + "/api/collections/interactions", batch.build());
      if (reply.status() == 501) {
        seedThroughIngest(user, records - done);
        return;
      }
      assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }
  }

  private static void seedThroughIngest(String user, int records) {
    for (int done = 0; done < records; done += BULK) {
      JsonArrayBuilder batch = Json.createArrayBuilder();
      for (int i = 0; i < Math.min(BULK, records - done); i++) {
        batch.add(Samples.record("interactions", user));
      }
      Api.Reply reply =
          SERVER.service().post(SERVER.baseUrl() + "/api/ingest/interactions", batch.build());
      assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    }
    Api.Reply sync = SERVER.service().post(SERVER.baseUrl() + "/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
  }
}
