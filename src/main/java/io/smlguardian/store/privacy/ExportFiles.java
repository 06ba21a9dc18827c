package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.files.PrivateFiles;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The export directory ({@code EXPORT_DIR}): each export's ZIP ({@code export-<exportId>.zip}) and,
 * beside it, its {@link ExportBinding} ({@code export-<exportId>.json}), written before the job
 * starts. A ZIP is moved into place only whole, and only while its binding still exists; it is
 * served only through a binding that says it is complete.
 *
 * <p>Files do not outlive their purpose: a user's exports are deleted when the user is erased,
 * every export once {@code EXPORT_FILE_RETENTION} has passed since it was requested (swept at start
 * and then periodically), and at start the exports that a stopped server was writing (their jobs
 * ended with it: the job repository is in memory). Changes to the directory take turns on this
 * bean's lock, so an erasure and an export finishing for the same user cannot interleave: either
 * the erasure deletes the finished file, or the export finds its binding gone and discards its
 * file.
 */
@ApplicationScoped
public class ExportFiles {

  static final String RETENTION = "EXPORT_FILE_RETENTION";

  /** The files being written, removed at start when a stop left them (0600). */
  static final String[] TEMPORARY_FILES = {"export-*.part", ".binding-*.tmp"};

  /** Sweeps at least this often, and as often as the retention when it is shorter. */
  private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofHours(1);

  private static final Logger LOG = Logger.getLogger(ExportFiles.class.getName());

  private Path directory;
  private Duration retention;
  private Clock clock;

  @Resource ManagedScheduledExecutorService scheduler;
  private ScheduledFuture<?> sweeps;

  protected ExportFiles() {}

  @Inject
  public ExportFiles(
      @ConfigProperty(name = "EXPORT_DIR", defaultValue = "exports") String directory,
      @ConfigProperty(name = RETENTION, defaultValue = "P7D") String retention) {
    this(Path.of(directory), retention(retention), Clock.systemUTC());
  }

  ExportFiles(Path directory, Duration retention, Clock clock) {
    this.directory = directory.toAbsolutePath();
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * The retention an {@code EXPORT_FILE_RETENTION} value sets: an ISO-8601 duration ({@code P7D},
   * {@code PT12H}), positive.
   *
   * @throws IllegalArgumentException naming the variable, for any other value
   */
  static Duration retention(String text) {
    try {
      Duration retention = Duration.parse(text.trim());
      if (!retention.isNegative() && !retention.isZero()) {
        return retention;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        RETENTION + "=" + text + " must be a positive ISO-8601 duration, such as P7D or PT12H");
  }

  Duration retention() {
    return retention;
  }

  /**
   * At start: the directory created, the files a stopped server left half written removed, and the
   * exports it had not finished (their jobs ended with it), then the first sweep; later sweeps are
   * scheduled.
   */
  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    try {
      PrivateFiles.createDirectories(directory);
      PrivateFiles.removeTemporaryFiles(directory, TEMPORARY_FILES);
      for (ExportBinding unfinished : bindings()) {
        if (!unfinished.complete()) {
          delete(unfinished.exportId());
        }
      }
    } catch (IOException e) {
      LOG.warning("Cannot tidy the export directory " + directory + ": " + e);
    }
    sweep();
    Duration interval =
        retention.compareTo(LONGEST_SWEEP_INTERVAL) < 0 ? retention : LONGEST_SWEEP_INTERVAL;
    if (scheduler != null) {
      sweeps =
          scheduler.scheduleWithFixedDelay(
              this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.info(() -> "Export files in " + directory + ", kept " + retention);
  }

  @PreDestroy
  void stop() {
    if (sweeps != null) {
      sweeps.cancel(false);
    }
  }

  /** Records a new export of the user's data, before its job starts. */
  synchronized ExportBinding request(String userId, String requestedBy) throws IOException {
    ExportBinding binding =
        ExportBinding.requested(
            userId, requestedBy, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    PrivateFiles.createDirectories(directory);
    write(binding);
    return binding;
  }

  /** Records which job execution writes the export (if it still exists). */
  synchronized void started(UUID exportId, long executionId) throws IOException {
    Optional<ExportBinding> binding = binding(exportId);
    if (binding.isPresent()) {
      write(binding.get().startedAs(executionId));
    }
  }

  /** The binding of an export, if there is one (none once deleted). */
  Optional<ExportBinding> binding(UUID exportId) {
    Path file = bindingFile(exportId);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file);
        JsonReader reader = Jsonp.PROVIDER.createReader(in)) {
      return Optional.of(ExportBinding.fromJson(reader.readObject()));
    } catch (IOException | JsonException | IllegalArgumentException | ClassCastException e) {
      LOG.warning("Unreadable export binding " + file + ": " + e);
      return Optional.empty();
    }
  }

  /** A new file to write an export into, to be handed to {@link #complete} when whole. */
  Path partialFile() throws IOException {
    return Files.createTempFile(PrivateFiles.createDirectories(directory), "export-", ".part");
  }

  /**
   * Moves a whole export into place and records it complete; returns the binding. When the export
   * was deleted meanwhile (its user erased, or its time up), the file is deleted instead.
   *
   * @throws ExportGoneException then
   */
  synchronized ExportBinding complete(UUID exportId, Path partial) throws IOException {
    Optional<ExportBinding> binding = binding(exportId);
    if (binding.isEmpty()) {
      Files.deleteIfExists(partial);
      throw new ExportGoneException(exportId);
    }
    long size = Files.size(partial);
    Files.move(
        partial,
        zipFile(exportId),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    ExportBinding completed =
        binding.get().completed(clock.instant().truncatedTo(ChronoUnit.MILLIS), size);
    write(completed);
    return completed;
  }

  /** The ZIP of a complete export. */
  Optional<Path> completeFile(ExportBinding binding) {
    Path file = zipFile(binding.exportId());
    return binding.complete() && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /**
   * After an erasure has committed: the user's exports are deleted with the rest of the user's
   * data. (A failure is logged; the export would be deleted at the end of its retention.)
   */
  void erased(@Observes(during = TransactionPhase.AFTER_SUCCESS) ErasureReceipt receipt) {
    try {
      int deleted = deleteExportsOf(receipt.userId());
      if (deleted > 0) {
        LOG.info(() -> "Deleted " + deleted + " export(s) of the erased user " + receipt.userId());
      }
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "Cannot delete the exports of erased user " + receipt.userId(), e);
    }
  }

  /** Deletes every export of the user, finished or not; returns how many. */
  synchronized int deleteExportsOf(String userId) throws IOException {
    int deleted = 0;
    for (ExportBinding binding : bindings()) {
      if (binding.userId().equals(userId)) {
        delete(binding.exportId());
        deleted++;
      }
    }
    return deleted;
  }

  /**
   * Deletes the exports requested longer than the retention ago, and any ZIP that no binding claims
   * (nothing can serve it); returns the ids of the exports deleted.
   */
  synchronized List<UUID> sweep() {
    List<UUID> expired = new ArrayList<>();
    try {
      if (!Files.isDirectory(directory)) {
        return expired;
      }
      Instant cutoff = clock.instant().minus(retention);
      for (ExportBinding binding : bindings()) {
        if (binding.requestedAt().isBefore(cutoff)) {
          delete(binding.exportId());
          expired.add(binding.exportId());
        }
      }
      try (DirectoryStream<Path> zips = Files.newDirectoryStream(directory, "export-*.zip")) {
        for (Path zip : zips) {
          String name = zip.getFileName().toString();
          String id = name.substring("export-".length(), name.length() - ".zip".length());
          if (!Files.exists(directory.resolve("export-" + id + ".json"))) {
            Files.deleteIfExists(zip);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Sweeping the export directory " + directory + " failed", e);
    }
    if (!expired.isEmpty()) {
      LOG.info(() -> "Deleted " + expired.size() + " export(s) older than " + retention);
    }
    return expired;
  }

  /** Every binding in the directory (unreadable ones are skipped, and their ZIPs then swept). */
  private List<ExportBinding> bindings() throws IOException {
    List<ExportBinding> bindings = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return bindings;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "export-*.json")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          UUID id = UUID.fromString(name.substring("export-".length(), name.indexOf(".json")));
          binding(id).ifPresentOrElse(bindings::add, () -> deleteQuietly(file));
        } catch (IllegalArgumentException e) {
          deleteQuietly(file); // not a name this class gives
        }
      }
    }
    return bindings;
  }

  /** The ZIP first: a binding left alone without its ZIP serves nothing and is swept in time. */
  private void delete(UUID exportId) throws IOException {
    Files.deleteIfExists(zipFile(exportId));
    Files.deleteIfExists(bindingFile(exportId));
  }

  private void write(ExportBinding binding) throws IOException {
    Path temporary = Files.createTempFile(directory, ".binding-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        out.write(binding.toJson().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Files.move(
          temporary,
          bindingFile(binding.exportId()),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warning("Cannot delete " + file + ": " + e);
    }
  }

  private Path zipFile(UUID exportId) {
    return directory.resolve("export-" + exportId + ".zip");
  }

  private Path bindingFile(UUID exportId) {
    return directory.resolve("export-" + exportId + ".json");
  }

  /** The export was deleted before its file was complete. */
  static final class ExportGoneException extends IOException {
    ExportGoneException(UUID exportId) {
      super("export " + exportId + " was deleted before it completed (user erased or expired)");
    }
  }
}
