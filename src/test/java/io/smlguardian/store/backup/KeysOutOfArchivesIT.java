package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.KeyOperator;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Archives carry no user keys: an archive taken before an erasure, restored on another server that
 * shares the master key but has its own empty backup directory and KEY_DIR (and so no erasure
 * ledger), leaves the erased user's sealed fields unreadable, never clear; restored here after the
 * erasure, the same. A key escrow written after the erasure gives the other server every other
 * user's keys, and still not the erased user's.
 */
@Tag("postgresql") // starts a server of its own beside the PostgreSQL one
class KeysOutOfArchivesIT {

  private static final BackupClient POSTGRESQL = BackupClient.ofServerUnderTest();
  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-keys-officer", "privacy-officer"));
  private static final Path KEY_DIR = Path.of(System.getProperty("guardian.keyDir"));

  @Test
  void anArchiveTakenBeforeAnErasureNeverOpensTheErasedUserOnAnotherServerNorHere()
      throws Exception {
    String erased = "archived-erased-" + UUID.randomUUID();
    String kept = "archived-kept-" + UUID.randomUUID();
    JsonObject erasedSample = Samples.record("memories", erased);
    JsonObject keptSample = Samples.record("memories", kept);
    String erasedId = POSTGRESQL.insert("memories", erasedSample).getString("id");
    String keptId = POSTGRESQL.insert("memories", keptSample).getString("id");
    JsonObject backup = POSTGRESQL.backUp();
    String id = backup.getString("backupId");
    byte[] archive = POSTGRESQL.download(id);
    assertThat(backup.getJsonObject("counts")).doesNotContainKey("user_keys");
    assertThat(POSTGRESQL.verify(id).toString()).doesNotContain("user_keys");

    Api.Reply erasure = OFFICER.delete("/api/privacy/users/" + erased, null);
    assertThat(erasure.status()).as(erasure.toString()).isEqualTo(200);
    assertThat(erasure.object().getInt("keysDestroyed")).isEqualTo(1);
    String escrow = KeyOperator.ofServerUnderTest().writeEscrow();

    Path root = Files.createTempDirectory(Path.of("target"), "server-b-").toAbsolutePath();
    try (SecondServer b =
        SecondServer.start(
            "guardianStore-keys-b",
            SecondServer.withOwnFilesIn(
                root,
                Map.of("DB_BACKEND", "sqlite", "SQLITE_PATH", root.resolve("b.db").toString())))) {
      KeyOperator.awaitReady(b.serverUrl());
      BackupClient onB = new BackupClient(b.baseUrl());
      Api.Reply uploaded = onB.upload(id, archive);
      assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);

      JsonObject restore = onB.restore(id, false);

      assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
      // B has no erasure ledger: the erased user's record is back, sealed, and stays sealed.
      assertUnreadable(
          onB.service().get(b.baseUrl() + "/api/collections/memories/" + erasedId), erasedSample);
      // B never had anyone's keys: every sealed field is unreadable there until keys arrive.
      assertUnreadable(
          onB.service().get(b.baseUrl() + "/api/collections/memories/" + keptId), keptSample);

      // A disaster recovery's second half: the key escrow written after the erasure, copied into
      // B's KEY_DIR and imported, gives back every key but the erased user's.
      KeyOperator.copyEscrow(KEY_DIR, root.resolve("keys"), escrow);
      Api.Reply imported = new KeyOperator(b.baseUrl()).importEscrow(escrow);
      assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
      assertThat(imported.object().getJsonNumber("imported").longValue()).isPositive();

      Api.Reply keptRead = onB.service().get(b.baseUrl() + "/api/collections/memories/" + keptId);
      assertThat(keptRead.status()).as(keptRead.toString()).isEqualTo(200);
      assertThat(keptRead.object().get("patterns")).isEqualTo(keptSample.get("patterns"));
      assertUnreadable(
          onB.service().get(b.baseUrl() + "/api/collections/memories/" + erasedId), erasedSample);
      // A second import adds nothing: keys present are left as they are.
      assertThat(
              new KeyOperator(b.baseUrl())
                  .importEscrow(escrow)
                  .object()
                  .getJsonNumber("imported")
                  .longValue())
          .isZero();
    }

    // The same archive restored here after the erasure: the erased user stays unreadable (or
    // absent), the other reads as before.
    JsonObject restore = POSTGRESQL.restore(id, true, true);

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    assertThat(restore.getJsonObject("result").getJsonObject("switched"))
        .as(restore.toString())
        .isNotEmpty()
        .doesNotContainKey("user_keys");
    Api.Reply erasedRead = Api.get("/api/collections/memories/" + erasedId);
    assertThat(erasedRead.status()).as(erasedRead.toString()).isIn(404, 410);
    assertThat(erasedRead.raw().body()).doesNotContain(patternsText(erasedSample));
    Api.Reply keptRead = Api.get("/api/collections/memories/" + keptId);
    assertThat(keptRead.status()).as(keptRead.toString()).isEqualTo(200);
    assertThat(keptRead.object().get("patterns")).isEqualTo(keptSample.get("patterns"));
  }

  private static void assertUnreadable(Api.Reply read, JsonObject sample) {
    assertThat(read.status()).as(read.toString()).isIn(404, 410);
    assertThat(read.raw().body()).doesNotContain(patternsText(sample));
  }

  /** A piece of the sealed field's clear text, which no answer may show. */
  private static String patternsText(JsonObject sample) {
    return sample.getJsonArray("patterns").getString(0);
  }
}
