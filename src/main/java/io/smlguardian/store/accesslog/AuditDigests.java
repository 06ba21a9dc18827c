package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.files.PrivateFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Anchors the ledger outside the database: a digest names the last block, its hash, the number of
 * entries up to it and the time, with a MAC under the audit key, and is appended as one JSON line
 * to {@code audit-digests.jsonl} in {@code AUDIT_DIGEST_DIR} (fsync'd) and written to the server
 * log. A digest is written after sealing at most every {@code AUDIT_DIGEST_INTERVAL} (default
 * PT1M), and at every backup and restore.
 *
 * <p>The database cannot rewrite what was shipped elsewhere: verification compares the ledger with
 * the latest digest, and so finds blocks removed from its end, a ledger deleted whole, or a restore
 * of an older backup. Shipping the file (or the log lines) to write-once storage is the deployer's
 * part; the README says how.
 */
@ApplicationScoped
public class AuditDigests {

  private static final Logger LOG = Logger.getLogger(AuditDigests.class.getName());
  static final String FILE = "audit-digests.jsonl";

  /**
   * One digest.
   *
   * @param block the last block sealed
   * @param hash its hash
   * @param entries the entries of the ledger up to it
   * @param time when the digest was made
   * @param reason why: sealed, backup, restore, forced restore, on request
   */
  @JsonbPropertyOrder({"block", "hash", "entries", "time", "keyId", "reason"})
  public record Digest(
      long block, String hash, long entries, Instant time, String keyId, String reason) {

    byte[] canonical() {
      return new Canonical("guardian-audit-digest/1")
          .add(block)
          .add(hash)
          .add(entries)
          .add(time)
          .add(keyId)
          .add(reason)
          .bytes();
    }

    JsonObject toJson(String mac) {
      return Jsonp.PROVIDER
          .createObjectBuilder()
          .add("block", block)
          .add("hash", hash)
          .add("entries", entries)
          .add("time", time.toString())
          .add("keyId", keyId)
          .add("reason", reason)
          .add("mac", mac)
          .build();
    }
  }

  private AuditKey key;
  private Path file;
  private Duration interval;
  private volatile Instant lastWritten = Instant.EPOCH;
  private volatile long lastBlockWritten;

  protected AuditDigests() {}

  @Inject
  public AuditDigests(
      AuditKey key,
      @ConfigProperty(name = "AUDIT_DIGEST_DIR", defaultValue = "audit-digests") String directory,
      @ConfigProperty(name = "AUDIT_DIGEST_INTERVAL", defaultValue = "PT1M") String interval) {
    this.key = key;
    this.file = Path.of(directory).resolve(FILE);
    this.interval = Duration.parse(interval);
  }

  /** After sealing: a digest when the ledger moved and the interval has passed since the last. */
  void writeIfDue(AuditSealer.LedgerState state) {
    if (state.lastBlock() != lastBlockWritten
        && Duration.between(lastWritten, Instant.now()).compareTo(interval) >= 0) {
      write(state, "sealed");
    }
  }

  /**
   * Writes a digest of the ledger's state now, unless the ledger ends before the latest digest:
   * then nothing is written and the latest digest is answered, so that the anchor never moves back
   * on its own and the loss stays visible to verification.
   */
  public synchronized Digest write(AuditSealer.LedgerState state, String reason) {
    Optional<Digest> latest = latest();
    if (latest.isPresent() && latest.get().block() > state.lastBlock()) {
      LOG.severe(
          "No audit digest written ("
              + reason
              + "): the ledger ends at block "
              + state.lastBlock()
              + ", before the latest digest's block "
              + latest.get().block());
      return latest.get();
    }
    return append(state, reason);
  }

  /**
   * Moves the anchor to the ledger's state even when that is behind the latest digest: only for a
   * reset of the store, and a forced restore that the ledger records.
   */
  synchronized Digest rebase(AuditSealer.LedgerState state, String reason) {
    return append(state, reason);
  }

  private Digest append(AuditSealer.LedgerState state, String reason) {
    Digest digest =
        new Digest(
            state.lastBlock(),
            state.lastHash(),
            state.totalEntries(),
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            key.id(),
            reason);
    String line = digest.toJson(key.mac(AuditKey.DIGEST, digest.canonical())).toString();
    try {
      PrivateFiles.createDirectories(file.getParent());
      try (FileChannel out = PrivateFiles.openForAppend(file)) {
        out.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        out.force(true);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot append the audit digest to " + file, e);
    }
    LOG.info("Audit digest " + line);
    lastWritten = digest.time();
    lastBlockWritten = digest.block();
    return digest;
  }

  /**
   * The last digest of the file, if there is one.
   *
   * @throws IllegalStateException when its MAC does not hold (the file was edited)
   */
  public Optional<Digest> latest() {
    Optional<String> line = lastLine();
    if (line.isEmpty()) {
      return Optional.empty();
    }
    JsonObject json = Jsonp.PROVIDER.createReader(new StringReader(line.get())).readObject();
    Digest digest =
        new Digest(
            json.getJsonNumber("block").longValue(),
            json.getString("hash"),
            json.getJsonNumber("entries").longValue(),
            Instant.parse(json.getString("time")),
            json.getString("keyId"),
            json.getString("reason"));
    if (!key.mac(AuditKey.DIGEST, digest.canonical()).equals(json.getString("mac"))) {
      throw new IllegalStateException(
          "The last digest of " + file + " does not match its MAC: the file was altered");
    }
    return Optional.of(digest);
  }

  /** The file's last line, read from its end (the file grows by a line per interval). */
  private synchronized Optional<String> lastLine() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int tail = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[tail];
      in.seek(length - tail);
      in.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
      if (text.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(text.substring(text.lastIndexOf('\n') + 1));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the audit digests in " + file, e);
    }
  }
}
