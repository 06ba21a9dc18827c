package io.smlguardian.store.backup;

import io.smlguardian.store.files.PrivateFiles;
import io.smlguardian.store.privacy.ErasureReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every erasure, kept beside the backups ({@code erasures.jsonl} in the backup directory, one line
 * per erasure: user, time, receipt), so that a restore of a backup taken before an erasure does not
 * bring the erased user back, even into a fresh database that remembers nothing.
 *
 * <p>A line is appended once the erasure has committed, under a file lock (instances sharing the
 * directory append in turn) and forced to disk. It holds a user id and times only: no data of the
 * user, which is gone.
 */
@ApplicationScoped
public class ErasureLedger {

  static final String FILE = "erasures.jsonl";

  private static final Logger LOG = Logger.getLogger(ErasureLedger.class.getName());

  private BackupConfig config;

  protected ErasureLedger() {}

  @Inject
  public ErasureLedger(BackupConfig config) {
    this.config = config;
  }

  /** Appends a committed erasure. A failure is logged: the erasure itself stands. */
  void erased(@Observes(during = TransactionPhase.AFTER_SUCCESS) ErasureReceipt receipt) {
    try {
      append(receipt.userId(), receipt.erasedAt(), receipt.id().toString());
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "Could not write the erasure of "
              + receipt.userId()
              + " to the erasure ledger "
              + file()
              + "; restoring an older backup would bring the user back until it is added",
          e);
    }
  }

  synchronized void append(String userId, Instant erasedAt, String receiptId) throws IOException {
    String line =
        Json.createObjectBuilder()
                .add("userId", userId)
                .add("erasedAt", erasedAt.toString())
                .add("receiptId", receiptId)
                .build()
            + "\n";
    PrivateFiles.createDirectories(config.directory());
    try (FileChannel channel = PrivateFiles.openForAppend(file());
        FileLock lock = channel.lock()) {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
  }

  /**
   * The latest erasure of every user the ledger names. Lines that cannot be read (a torn last line
   * after a crash) are skipped and logged.
   */
  public Map<String, Instant> erasures() throws IOException {
    Map<String, Instant> latest = new HashMap<>();
    Path file = file();
    if (!Files.exists(file)) {
      return latest;
    }
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = lines.readLine()) != null; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try (var reader = Json.createReader(new StringReader(line))) {
          JsonObject entry = reader.readObject();
          Instant at = Instant.parse(entry.getString("erasedAt"));
          latest.merge(entry.getString("userId"), at, (a, b) -> a.isAfter(b) ? a : b);
        } catch (JsonException
            | ClassCastException
            | NullPointerException
            | DateTimeParseException e) {
          LOG.warning(FILE + " line " + number + " cannot be read and is skipped: " + e);
        }
      }
    }
    return latest;
  }

  Path file() {
    return config.directory().resolve(FILE);
  }
}
