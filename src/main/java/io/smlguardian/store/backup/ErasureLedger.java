package io.smlguardian.store.backup;

import io.smlguardian.store.privacy.Erasures;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The erasure ledger file of earlier versions ({@code erasures.jsonl} in the backup directory, one
 * line per erasure: user, time, receipt), which erasures were appended to after they committed.
 * Erasures are now recorded in the database ({@link Erasures}); a ledger found is imported into
 * that record once, at start (and before a restore, should the start's import have failed), then
 * renamed {@code erasures.jsonl.imported}, which is kept for the operator and never read again.
 */
@ApplicationScoped
public class ErasureLedger {

  static final String FILE = "erasures.jsonl";
  static final String IMPORTED = FILE + ".imported";

  private static final Logger LOG = Logger.getLogger(ErasureLedger.class.getName());

  private BackupConfig config;
  private Erasures erasures;

  protected ErasureLedger() {}

  @Inject
  public ErasureLedger(BackupConfig config, Erasures erasures) {
    this.config = config;
    this.erasures = erasures;
  }

  /** After the schema is migrated (the store's start observes at the default priority). */
  void atStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) Startup startup) {
    try {
      importOnce();
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "Could not import the erasure ledger "
              + file()
              + " into the database; the next restore tries again, and refuses to run without it",
          e);
    }
  }

  /** Imports the ledger file, if there is one, and renames it. */
  public synchronized void importOnce() throws IOException {
    Path file = file();
    if (!Files.exists(file)) {
      return;
    }
    List<Erasures.Known> known = read(file);
    int added = erasures.importMissing(known);
    Files.move(file, file.resolveSibling(IMPORTED), StandardCopyOption.REPLACE_EXISTING);
    LOG.info(
        () ->
            "Imported the erasure ledger "
                + file
                + " into the database: "
                + known.size()
                + " erasures, "
                + added
                + " of them new; the file is now "
                + IMPORTED);
  }

  /**
   * Every erasure of the file. Lines that cannot be read (a torn last line after a crash) are
   * skipped and logged.
   */
  static List<Erasures.Known> read(Path file) throws IOException {
    List<Erasures.Known> known = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = lines.readLine()) != null; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try (var reader = Json.createReader(new StringReader(line))) {
          JsonObject entry = reader.readObject();
          String userId = entry.getString("userId");
          Instant erasedAt = Instant.parse(entry.getString("erasedAt"));
          known.add(new Erasures.Known(receiptId(entry, userId, erasedAt), userId, erasedAt, FILE));
        } catch (JsonException
            | ClassCastException
            | NullPointerException
            | IllegalArgumentException
            | DateTimeParseException e) {
          LOG.warning(FILE + " line " + number + " cannot be read and is skipped: " + e);
        }
      }
    }
    return known;
  }

  /**
   * The line's receipt id; a line without a readable one keeps its erasure, under an id derived
   * from it (the same at every import).
   */
  private static UUID receiptId(JsonObject entry, String userId, Instant erasedAt) {
    try {
      return UUID.fromString(entry.getString("receiptId"));
    } catch (RuntimeException unreadable) {
      return UUID.nameUUIDFromBytes(
          (FILE + "/" + userId + "/" + erasedAt).getBytes(StandardCharsets.UTF_8));
    }
  }

  Path file() {
    return config.directory().resolve(FILE);
  }
}
