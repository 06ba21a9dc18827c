package io.smlguardian.store.backup;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.json.Json;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The backup views as JSON-B writes them: the JSON the API answered, the jobs kept and the audit
 * trail recorded when these views were written by hand, character for character (names, order,
 * members left out, times).
 */
class BackupJsonTest {

  private static final BackupId ID = BackupId.parse("gs-20261126T061500Z-k3j4h5g6");
  private static final Instant T1 = Instant.parse("2026-11-26T06:15:00.123Z");
  private static final Instant T2 = Instant.parse("2026-11-26T06:15:07Z");
  private static final Manifest MANIFEST =
      new Manifest(
          Manifest.FORMAT,
          ID.value(),
          ID.created(),
          "postgresql",
          "7",
          true,
          null,
          1 << 20,
          List.of(entry("memories", 2), entry("sessions", 1)));
  private static final String SUMMARY_JSON =
      "{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"size\":48213,"
          + "\"timestamp\":\"2026-11-26T06:15:00Z\",\"backend\":\"postgresql\","
          + "\"schemaVersion\":\"7\",\"compressed\":true,\"encrypted\":false,\"records\":3,"
          + "\"counts\":{\"memories\":2,\"sessions\":1}";

  @Test
  void aSummaryHasTheManifestsFiguresAndTheWholeManifestOnlyInTheViewOfOneBackup() {
    assertThat(toJson(BackupSummary.of(ID, 48213, MANIFEST, false))).isEqualTo(SUMMARY_JSON + "}");
    assertThat(toJson(BackupSummary.of(ID, 48213, MANIFEST, true)))
        .isEqualTo(SUMMARY_JSON + ",\"manifest\":" + MANIFEST.toJson() + "}");
    assertThat(BackupJson.of(BackupSummary.of(ID, 48213, MANIFEST, false)))
        .isEqualTo(SUMMARY_JSON + "}");
  }

  @Test
  void anUnreadableBackupSaysWhyInsteadOfItsFigures() {
    assertThat(toJson(BackupSummary.unreadable(ID, 7, "unreadable: truncated")))
        .isEqualTo(
            "{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"size\":7,"
                + "\"timestamp\":\"2026-11-26T06:15:00Z\",\"problem\":\"unreadable: truncated\"}");
  }

  @Test
  void theListingCarriesTheSettingsAndTheNextRunOnlyWhenThereIsOne() {
    var scheduled =
        new BackupResource.Settings(true, "daily", 30, true, false, "2026-11-27T02:00Z");
    var off = new BackupResource.Settings(false, "off", 30, true, true, null);
    assertThat(
            toJson(
                new BackupResource.Listing(
                    List.of(BackupSummary.unreadable(ID, 7, "unreadable: x")), scheduled)))
        .isEqualTo(
            "{\"items\":[{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"size\":7,"
                + "\"timestamp\":\"2026-11-26T06:15:00Z\",\"problem\":\"unreadable: x\"}],"
                + "\"settings\":{\"enabled\":true,\"frequency\":\"daily\",\"retentionDays\":30,"
                + "\"compression\":true,\"encryption\":false,\"nextRun\":\"2026-11-27T02:00Z\"}}");
    assertThat(toJson(new BackupResource.Listing(List.of(), off)))
        .isEqualTo(
            "{\"items\":[],\"settings\":{\"enabled\":false,\"frequency\":\"off\","
                + "\"retentionDays\":30,\"compression\":true,\"encryption\":true}}");
  }

  @Test
  void aBackupRunHasItsStarterAndResultButNoReplace() {
    Properties parameters = new Properties();
    parameters.setProperty(BackupJobs.STARTED_BY, "olga");
    var run =
        BackupJobs.Run.of(
            execution(
                12, BackupJobs.BACKUP, BatchStatus.COMPLETED, "COMPLETED x", T1, T2, parameters),
            Json.createObjectBuilder().add("backupId", ID.value()).add("size", 48213).build());
    assertThat(toJson(new BackupResource.Runs(List.of(run))))
        .isEqualTo(
            "{\"items\":[{\"executionId\":12,\"job\":\"backup\",\"status\":\"COMPLETED\","
                + "\"exitStatus\":\"COMPLETED x\",\"startedBy\":\"olga\","
                + "\"start\":\"2026-11-26T06:15:00.123Z\",\"end\":\"2026-11-26T06:15:07Z\","
                + "\"result\":{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"size\":48213}}]}");
  }

  @Test
  void aRestoreRunSaysWhichBackupAndWhetherItReplacesAndLeavesOutWhatIsNotKnownYet() {
    Properties parameters = new Properties();
    parameters.setProperty(BackupJobs.STARTED_BY, "olga");
    parameters.setProperty(BackupJobs.BACKUP_ID, ID.value());
    parameters.setProperty(BackupJobs.REPLACE, "true");
    var run =
        BackupJobs.Run.of(
            execution(13, BackupJobs.RESTORE, BatchStatus.STARTING, null, null, null, parameters),
            null);
    assertThat(toJson(run))
        .isEqualTo(
            "{\"executionId\":13,\"job\":\"restore\",\"status\":\"STARTING\","
                + "\"startedBy\":\"olga\",\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\","
                + "\"replace\":true}");
    var unknown =
        BackupJobs.Run.of(
            execution(14, BackupJobs.RESTORE, BatchStatus.STARTING, null, null, null, null), null);
    assertThat(toJson(unknown))
        .isEqualTo("{\"executionId\":14,\"job\":\"restore\",\"status\":\"STARTING\"}");
  }

  @Test
  void aRestoreReportCountsPerCollectionWithEmptyCountsWritten() {
    RestoreReport report = new RestoreReport(ID.value(), true);
    report.restored("memories", 2);
    report.switched("memories", 2);
    report.skippedErased("sessions");
    report.ignored("extra.jsonl", "unknown collection");
    report.switchMs(5);
    report.durationMs(40);
    String json =
        "{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"replace\":true,"
            + "\"restored\":{\"memories\":2},\"switched\":{\"memories\":2},\"restoredTotal\":2,"
            + "\"skipped\":{\"erased\":{\"sessions\":1},\"erasedDuringRestore\":{},\"expired\":{}},"
            + "\"ignored\":{\"extra.jsonl\":\"unknown collection\"},\"switchMs\":5,"
            + "\"durationMs\":40}";
    assertThat(toJson(report.view())).isEqualTo(json);
    assertThat(report.toJson().toString()).isEqualTo(json);
  }

  private static Manifest.Entry entry(String collection, long records) {
    return new Manifest.Entry(
        collection + ".jsonl.gz",
        collection,
        records,
        100,
        "00",
        List.of("00"),
        0,
        200,
        "00",
        80,
        List.of("id"));
  }

  private static JobExecution execution(
      long id,
      String job,
      BatchStatus status,
      String exitStatus,
      Instant start,
      Instant end,
      Properties parameters) {
    return new JobExecution() {
      @Override
      public long getExecutionId() {
        return id;
      }

      @Override
      public String getJobName() {
        return job;
      }

      @Override
      public BatchStatus getBatchStatus() {
        return status;
      }

      @Override
      public Date getStartTime() {
        return start == null ? null : Date.from(start);
      }

      @Override
      public Date getEndTime() {
        return end == null ? null : Date.from(end);
      }

      @Override
      public String getExitStatus() {
        return exitStatus;
      }

      @Override
      public Date getCreateTime() {
        return null;
      }

      @Override
      public Date getLastUpdatedTime() {
        return null;
      }

      @Override
      public Properties getJobParameters() {
        return parameters;
      }
    };
  }
}
