package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An upload never replaces a backup: of an id that exists, it is refused with 409; of two uploads
 * of one new id racing each other, exactly one is published and the other gets 409, and the archive
 * published is whole.
 */
class BackupUploadConflictIT {

  private static final BackupClient SERVER = BackupClient.ofServerUnderTest();
  private static final int ROUNDS = 4;

  @Test
  void uploadsOfAnIdThatExistsOrIsBeingPublishedGet409() throws Exception {
    SERVER.insert("memories", Samples.record("memories", "upload-" + UUID.randomUUID()));
    String id = SERVER.backUp().getString("backupId");
    byte[] archive = SERVER.download(id);

    Api.Reply again = SERVER.upload(id, archive);
    assertThat(again.status()).as(again.toString()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");

    // Two threads of their own: the common pool may have a single one on a small machine.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Api.Reply>> uploads =
            List.of(
                CompletableFuture.supplyAsync(() -> uploadWhen(go, id, archive), threads),
                CompletableFuture.supplyAsync(() -> uploadWhen(go, id, archive), threads));
        go.countDown();
        List<Integer> statuses = uploads.stream().map(u -> u.join().status()).sorted().toList();
        assertThat(statuses).as("round " + round + ": " + uploads).containsExactly(201, 409);
        assertThat(SERVER.verify(id).getBoolean("valid")).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static Api.Reply uploadWhen(CountDownLatch go, String id, byte[] archive) {
    try {
      go.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return SERVER.upload(id, archive);
  }
}
