package io.smlguardian.store.privacy;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.JobParameters;
import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Large exports as a Jakarta Batch job ({@code user-export}): started here, watched here, and their
 * file fetched here when done. An export is known by its own random id, bound to its user and job
 * in the export directory ({@link ExportFiles}) before the job starts: never by the job execution
 * id, which names another job after a restart. No request text ever becomes part of a path. The job
 * calls go through {@link SystemJobOperator}: privacy officers hold no batch role of their own.
 */
@ApplicationScoped
public class ExportJobs {

  static final String JOB = "user-export";

  private ExportFiles files;
  private AuditTrail audit;
  private SystemJobOperator jobs;

  protected ExportJobs() {}

  @Inject
  public ExportJobs(ExportFiles files, AuditTrail audit, SystemJobOperator jobs) {
    this.files = files;
    this.audit = audit;
    this.jobs = jobs;
  }

  /** An export as the API shows it. */
  public record Export(
      UUID exportId,
      String userId,
      Instant requestedAt,
      Long executionId,
      String status,
      String exitStatus,
      boolean fileReady) {}

  /**
   * Starts an export of the user's data; returns it. A user id that the job would refuse is refused
   * here, with a 400, before any job starts.
   */
  public Export start(Caller officer, String userId) {
    try {
      JobParameters.identity("userId", userId);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    ExportBinding binding;
    try {
      binding = files.request(userId, officer.subject());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the export in the export directory", e);
    }
    Properties parameters = new Properties();
    parameters.setProperty("exportId", binding.exportId().toString());
    parameters.setProperty("userId", userId);
    parameters.setProperty("requestedBy", officer.subject());
    long execution = jobs.call(operator -> operator.start(JOB, parameters));
    try {
      files.started(binding.exportId(), execution);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the export's job", e);
    }
    // Recorded when it starts, not only when it ends: an export that fails is an access too.
    audit.record(
        entry(
            officer,
            userId,
            "export job " + binding.exportId() + " started (execution " + execution + ")"));
    return status(binding.exportId().toString());
  }

  /** The export of that id, or 404 when there is none (never was, erased, or expired). */
  public Export status(String exportId) {
    ExportBinding binding = binding(exportId);
    if (!binding.complete()) {
      Optional<JobExecution> execution = execution(binding);
      // Its state taken now, before the binding is read again: the in-memory job repository
      // answers the live execution, which a job completing after that read would show COMPLETED
      // beside a binding read before its completion, and so FAILED.
      Optional<String> batchStatus = execution.map(e -> e.getBatchStatus().name());
      Optional<String> exitStatus = execution.map(e -> String.valueOf(e.getExitStatus()));
      // The job completes just after its file: read the binding again, so that an export is
      // never COMPLETED without its file.
      ExportBinding now = binding(exportId);
      if (!now.complete()) {
        return new Export(
            now.exportId(),
            now.userId(),
            now.requestedAt(),
            now.executionId(),
            batchStatus.map(s -> s.equals("COMPLETED") ? "FAILED" : s).orElse("STARTING"),
            exitStatus.orElse(null),
            false);
      }
      binding = now;
    }
    return new Export(
        binding.exportId(),
        binding.userId(),
        binding.requestedAt(),
        binding.executionId(),
        "COMPLETED",
        "COMPLETED " + binding.bytes() + " bytes",
        files.completeFile(binding).isPresent());
  }

  /**
   * The file of a complete export, opened, its download recorded in the audit trail (as an access
   * to the user's data, by this officer); 404 when there is no such export (or it was deleted a
   * moment ago), 409 while it is not complete. Once open, the file reads whole even if an erasure
   * or the sweep deletes it meanwhile.
   */
  public InputStream download(Caller officer, String exportId) {
    ExportBinding binding = binding(exportId);
    Path file =
        files
            .completeFile(binding)
            .orElseThrow(
                () ->
                    new ClientErrorException(
                        "Export " + exportId + " has not completed.", Response.Status.CONFLICT));
    InputStream content;
    try {
      content = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("No export " + exportId + ".");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    audit.record(entry(officer, binding.userId(), "export file " + exportId + " downloaded"));
    return content;
  }

  private ExportBinding binding(String exportId) {
    try {
      return files
          .binding(UUID.fromString(exportId))
          .orElseThrow(() -> new NotFoundException("No export " + exportId + "."));
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("No export " + exportId + ".");
    }
  }

  /** The job writing the export, if this server still knows it as that export's. */
  private Optional<JobExecution> execution(ExportBinding binding) {
    if (binding.executionId() == null) {
      return Optional.empty();
    }
    long id = binding.executionId();
    try {
      JobExecution execution = jobs.call(operator -> operator.getJobExecution(id));
      Properties parameters = jobs.call(operator -> operator.getParameters(id));
      boolean ours =
          JOB.equals(execution.getJobName())
              && binding.exportId().toString().equals(parameters.getProperty("exportId"));
      return ours ? Optional.of(execution) : Optional.empty();
    } catch (NoSuchJobExecutionException e) {
      return Optional.empty();
    }
  }

  private static AccessLog entry(Caller officer, String userId, String operation) {
    return new AccessLog(
        userId,
        officer.subject(),
        "export",
        null,
        operation,
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        officer.address(),
        true,
        null);
  }
}
