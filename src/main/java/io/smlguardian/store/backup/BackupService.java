package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.backend.StoreStartup;
import io.smlguardian.store.backup.archive.ArchiveWriter;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import io.smlguardian.store.backup.archive.SegmentedEncryption;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StoreInfo;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Takes a backup: one snapshot of the store, every collection streamed into one archive (written as
 * a partial file, published under its id only when complete), then the expired archives deleted,
 * and a receipt in the audit trail. No transaction of the container is open here: the snapshot is a
 * read of its own.
 */
@ApplicationScoped
public class BackupService {

  private static final Logger LOG = Logger.getLogger(BackupService.class.getName());

  private BulkStore store;
  private StoreInfo info;
  private StoreStartup startup;
  private BackupContents contents;
  private BackupArchives archives;
  private BackupConfig config;
  private AuditTrail audit;
  private AuditLedger auditLedger;

  /** Encodes and compresses while the snapshot reads on (two cores at work, not one). */
  @Resource ManagedExecutorService executor;

  protected BackupService() {}

  @Inject
  public BackupService(
      BulkStore store,
      StoreInfo info,
      StoreStartup startup,
      BackupContents contents,
      BackupArchives archives,
      BackupConfig config,
      AuditTrail audit,
      AuditLedger auditLedger) {
    this.store = store;
    this.info = info;
    this.startup = startup;
    this.contents = contents;
    this.archives = archives;
    this.config = config;
    this.audit = audit;
    this.auditLedger = auditLedger;
  }

  /**
   * Backs up the whole store.
   *
   * @param startedBy an operator, or the scheduler: for the receipt
   * @param stopping asked between records; true abandons the backup (no archive is left)
   */
  public BackupSummary backUp(String startedBy, BooleanSupplier stopping) throws IOException {
    long began = System.nanoTime();
    BackupId id = BackupId.at(Instant.now());
    Path partial = archives.partial(id);
    Manifest manifest;
    // The archive then holds at least what this digest anchors: restoring it rolls nothing back.
    auditLedger.anchor("backup " + id);
    try {
      try (RecordSnapshot snapshot = store.openSnapshot();
          ArchiveWriter writer =
              new ArchiveWriter(
                  partial,
                  id,
                  info.backend(),
                  String.valueOf(startup.schemaVersion()),
                  config.compression(),
                  config.key().orElse(null),
                  SegmentedEncryption.DEFAULT_SEGMENT_BYTES,
                  ArchiveWriter.BLOCK_BYTES,
                  executor,
                  archives.mac())) {
        for (CollectionDescriptor<?> collection : contents.all()) {
          writer.write(collection, snapshot, stopping);
        }
        manifest = writer.finish();
      }
      archives.publish(partial, id);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      audit.operationRun(
          "backup",
          startedBy,
          "backup " + id,
          false,
          Json.createObjectBuilder()
              .add("backupId", id.value())
              .add("error", String.valueOf(e.getMessage()))
              .build()
              .toString());
      throw e;
    }
    long millis = (System.nanoTime() - began) / 1_000_000;
    BackupSummary summary = archives.summary(id);
    List<BackupId> expired = archives.expire(Instant.now());
    LOG.info(
        () ->
            "Backup "
                + id
                + " taken: "
                + manifest.records()
                + " records, "
                + summary.size()
                + " bytes, "
                + millis
                + " ms"
                + (expired.isEmpty() ? "" : "; expired " + expired));
    audit.operationRun(
        "backup",
        startedBy,
        "backup " + id,
        true,
        Json.createObjectBuilder(BackupJson.object(summary))
            .add("durationMs", millis)
            .add("expired", Json.createArrayBuilder(expired.stream().map(BackupId::value).toList()))
            .build()
            .toString());
    return summary;
  }
}
