package io.smlguardian.store.privacy;

import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.JobParameters;
import io.smlguardian.store.security.Role;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * Writes one user's export ZIP into the export directory: into a temporary file first, moved into
 * place only when complete, so a file that exists is always a whole export. A restarted job simply
 * writes it again. Its parameters are checked first, whoever started the job (the batch REST API
 * too): a user id and an officer's name of the records' own bounds (see {@link
 * JobParameters#identity}); the file's name comes from the execution id alone, never from them.
 */
@Named("userExportBatchlet")
@Dependent
public class UserExportBatchlet extends AbstractBatchlet {

  /** The names of the files being written, removed at start when a stop left them (0600). */
  static final String[] TEMPORARY_FILES = {"export-*.part"};

  @Inject JobContext job;
  @Inject ExportService exports;
  @Inject ExportJobs jobs;

  @Inject
  @BatchProperty(name = "userId")
  String userId;

  @Inject
  @BatchProperty(name = "requestedBy")
  String requestedBy;

  @Override
  public String process() throws Exception {
    String user;
    Caller officer;
    try {
      user = JobParameters.identity("userId", userId);
      officer =
          new Caller(
              JobParameters.identity("requestedBy", requestedBy),
              Set.of(Role.PRIVACY_OFFICER),
              null);
    } catch (IllegalArgumentException e) {
      job.setExitStatus("REFUSED: " + e.getMessage());
      throw e;
    }
    Path directory = jobs.directory();
    Path target = jobs.fileOf(job.getExecutionId());
    Path partial = Files.createTempFile(directory, "export-", ".part");
    try (OutputStream out = Files.newOutputStream(partial)) {
      new UserDataExport(exports, officer, user).writeZip(out);
    }
    Files.move(
        partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    job.setExitStatus("COMPLETED " + Files.size(target) + " bytes");
    return "COMPLETED";
  }
}
