package io.smlguardian.store.encryption;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.ViewJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A rotation of the key-encryption keys, the work of the {@code key-rotation} job:
 *
 * <ol>
 *   <li>a new KEK (unless only a re-wrap is asked for), then a wait of {@code KEY_CACHE_TTL}, after
 *       which every instance wraps new data keys under it;
 *   <li>every KEK file still wrapped by a previous master key is rewritten under the current one;
 *   <li>every data key is re-wrapped under the current KEK, a page per transaction (legacy rows,
 *       wrapped by the master key itself, included);
 *   <li>a key escrow is written, and those older than the retention deleted;
 *   <li>the KEKs superseded longer ago than the retention, which no data key uses any more, are
 *       destroyed: a database copy that still wraps data keys by them can no longer be read.
 * </ol>
 *
 * Each step can be repeated: a failed rotation is finished by the next one.
 */
@ApplicationScoped
public class KeyRotation {

  static final int PAGE = 500;
  private static final Logger LOG = Logger.getLogger(KeyRotation.class.getName());

  private EncryptionConfig config;
  private KeyEncryptionKeys keks;
  private UserKeyService keys;
  private KeyEscrow escrow;
  private AuditTrail audit;

  protected KeyRotation() {}

  @Inject
  public KeyRotation(
      EncryptionConfig config,
      KeyEncryptionKeys keks,
      UserKeyService keys,
      KeyEscrow escrow,
      AuditTrail audit) {
    this.config = config;
    this.keks = keks;
    this.keys = keys;
    this.escrow = escrow;
    this.audit = audit;
  }

  /**
   * @param newKek whether to add a new KEK first
   * @param retention how long superseded KEKs and escrows are kept (at most KEY_RETENTION)
   * @param stopping asked between pages whether to stop (the rest is left for the next rotation)
   * @return what it did, as the job's result and the audit receipt
   */
  public JsonObject rotate(
      boolean newKek,
      Duration retention,
      String startedBy,
      java.util.function.BooleanSupplier stopping)
      throws InterruptedException {
    long began = System.nanoTime();
    // Assembled with JSON-P step by step, not as a view record: a failing rotation records the
    // part it did (plus the error) in the audit trail.
    var result = Json.createObjectBuilder();
    try {
      if (newKek) {
        keks.create();
        // Every instance reads KEY_DIR again within this time, and wraps under the new KEK after.
        Thread.sleep(config.cacheTtl().toMillis());
      }
      KeyEncryptionKeys.Kek current = keks.current();
      result.add("currentKek", current.id().toString()).add("masterKeyId", current.masterKeyId());
      result.add("kekFilesRewrapped", keks.rewrapUnderCurrentMaster());
      long read = 0;
      long rewrapped = 0;
      Map<String, Long> wrappedBy = new LinkedHashMap<>();
      TimeKey after = null;
      boolean complete = false;
      while (!stopping.getAsBoolean()) {
        UserKeyService.RewrapPage page = keys.rewrapPage(after, PAGE);
        read += page.read();
        rewrapped += page.rewrapped();
        page.wrappedBy().forEach((kek, count) -> wrappedBy.merge(kek, count, Long::sum));
        if (page.read() < PAGE) {
          complete = true;
          break;
        }
        after = page.last();
      }
      result.add("keysRead", read).add("keysRewrapped", rewrapped);
      var by = Json.createObjectBuilder();
      wrappedBy.forEach(by::add);
      result.add("keysWrappedBy", by);
      List<String> escrowsDeleted = escrow.deleteOlderThan(retention);
      result.add("escrowsDeleted", Json.createArrayBuilder(escrowsDeleted));
      if (complete) {
        result.add("escrow", ViewJson.toJsonObject(escrow.write()));
        // Only a complete walk knows every KEK still in use; a stopped one destroys nothing.
        List<UUID> destroyed =
            keks.destroySuperseded(
                retention, kek -> wrappedBy.getOrDefault(kek.toString(), 0L) > 0);
        result.add(
            "keksDestroyed",
            Json.createArrayBuilder(destroyed.stream().map(UUID::toString).toList()));
      }
      result.add("complete", complete);
      result.add("retention", retention.toString());
      result.add("durationMs", (System.nanoTime() - began) / 1_000_000);
      JsonObject done = result.build();
      LOG.info(() -> "Key rotation by " + startedBy + ": " + done);
      audit.operationRun(
          "key-rotation",
          startedBy,
          AccessOperation.KEY_ROTATION.wireName(),
          complete,
          done.toString());
      return done;
    } catch (RuntimeException e) {
      audit.operationRun(
          "key-rotation",
          startedBy,
          AccessOperation.KEY_ROTATION.wireName(),
          false,
          Json.createObjectBuilder(result.build())
              .add("error", String.valueOf(e.getMessage()))
              .build()
              .toString());
      throw e;
    }
  }
}
