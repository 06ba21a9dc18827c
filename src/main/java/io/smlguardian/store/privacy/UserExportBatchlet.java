package io.smlguardian.store.privacy;

import io.smlguardian.store.security.Caller;
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
 * writes it again.
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
    Path directory = jobs.directory();
    Path target = jobs.fileOf(job.getExecutionId());
    Path partial = Files.createTempFile(directory, "export-", ".part");
    Caller officer = new Caller(requestedBy, Set.of(Role.PRIVACY_OFFICER), null);
    try (OutputStream out = Files.newOutputStream(partial)) {
      new UserDataExport(exports, officer, userId).writeZip(out);
    }
    Files.move(
        partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    job.setExitStatus("COMPLETED " + Files.size(target) + " bytes");
    return "COMPLETED";
  }
}
