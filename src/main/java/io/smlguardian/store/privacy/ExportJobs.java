package io.smlguardian.store.privacy;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.files.PrivateFiles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.JobParameters;
import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Large exports as a Jakarta Batch job ({@code user-export}): started here, watched here, and their
 * file fetched here when done. A file's name derives from the job execution id alone, so no request
 * text ever becomes part of a path. The job calls go through {@link SystemJobOperator}: privacy
 * officers hold no batch role of their own.
 */
@ApplicationScoped
public class ExportJobs {

  static final String JOB = "user-export";

  private static final Logger LOG = Logger.getLogger(ExportJobs.class.getName());

  private Path directory;
  private AuditTrail audit;
  private SystemJobOperator jobs;

  protected ExportJobs() {}

  @Inject
  public ExportJobs(
      @ConfigProperty(name = "EXPORT_DIR", defaultValue = "exports") String directory,
      AuditTrail audit,
      SystemJobOperator jobs) {
    this.directory = Path.of(directory).toAbsolutePath();
    this.audit = audit;
    this.jobs = jobs;
  }

  /**
   * Starts an export of the user's data; returns the job execution id. A user id that the job would
   * refuse is refused here, with a 400, before any job starts.
   */
  public long start(Caller officer, String userId) {
    try {
      JobParameters.identity("userId", userId);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    Properties parameters = new Properties();
    parameters.setProperty("userId", userId);
    parameters.setProperty("requestedBy", officer.subject());
    long execution = jobs.call(operator -> operator.start(JOB, parameters));
    // Recorded when it starts, not only when it ends: an export that fails is an access too.
    audit.record(
        new AccessLog(
            userId,
            officer.subject(),
            "export",
            null,
            "export job " + execution + " started",
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            officer.address(),
            true,
            null));
    return execution;
  }

  /** The export job's execution, or 404 when there is none of that id. */
  public JobExecution execution(long executionId) {
    try {
      JobExecution execution = jobs.call(operator -> operator.getJobExecution(executionId));
      if (!JOB.equals(execution.getJobName())) {
        throw new NotFoundException("No export job " + executionId + ".");
      }
      return execution;
    } catch (NoSuchJobExecutionException e) {
      throw new NotFoundException("No export job " + executionId + ".");
    }
  }

  /** Whose data the export holds. */
  public String userOf(long executionId) {
    return jobs.call(operator -> operator.getParameters(executionId)).getProperty("userId");
  }

  /** The finished export's file, if the job completed. */
  public Optional<Path> file(long executionId) {
    Path file = fileOf(executionId);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  Path fileOf(long executionId) {
    return directory.resolve("export-" + executionId + ".zip");
  }

  /** The export directory, created (0700) when missing. */
  Path directory() throws IOException {
    return PrivateFiles.createDirectories(directory);
  }

  /**
   * At start: removes the partial files of exports a stopped server was writing (see {@link
   * UserExportBatchlet}); their jobs failed with it and are started again by whoever wants them.
   */
  void removeUnfinishedFiles(@Observes @Initialized(ApplicationScoped.class) Object started) {
    try {
      PrivateFiles.removeTemporaryFiles(directory, UserExportBatchlet.TEMPORARY_FILES);
    } catch (IOException e) {
      LOG.warning("Cannot remove unfinished exports from " + directory + ": " + e);
    }
  }
}
