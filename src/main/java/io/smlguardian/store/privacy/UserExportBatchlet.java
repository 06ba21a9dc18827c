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
import java.util.Set;
import java.util.UUID;

/**
 * Writes one user's export ZIP into the export directory: into a temporary file first, moved into
 * place only when complete and only while its export still exists ({@link ExportFiles#complete}),
 * so a file that is served is always a whole export of the user it is bound to. A restarted job
 * simply writes it again. Its parameters are checked first, whoever started the job (the batch REST
 * API too): the export must have been requested for this very user (its binding, written before the
 * job started, says so), and the user id and officer's name must be of the records' own bounds (see
 * {@link JobParameters#identity}); the file's name comes from the export id alone.
 */
@Named("userExportBatchlet")
@Dependent
public class UserExportBatchlet extends AbstractBatchlet {

  @Inject JobContext job;
  @Inject ExportService exports;
  @Inject ExportFiles files;

  @Inject
  @BatchProperty(name = "exportId")
  String exportId;

  @Inject
  @BatchProperty(name = "userId")
  String userId;

  @Inject
  @BatchProperty(name = "requestedBy")
  String requestedBy;

  @Override
  public String process() throws Exception {
    UUID export;
    String user;
    Caller officer;
    try {
      user = JobParameters.identity("userId", userId);
      officer =
          new Caller(
              JobParameters.identity("requestedBy", requestedBy),
              Set.of(Role.PRIVACY_OFFICER),
              null);
      export = exportOf(user);
    } catch (IllegalArgumentException e) {
      job.setExitStatus("REFUSED: " + e.getMessage());
      throw e;
    }
    Path partial = files.partialFile();
    try {
      try (OutputStream out = Files.newOutputStream(partial)) {
        new UserDataExport(exports, officer, user).writeZip(out);
      }
      ExportBinding done = files.complete(export, partial);
      job.setExitStatus("COMPLETED " + done.bytes() + " bytes");
      return "COMPLETED";
    } finally {
      Files.deleteIfExists(partial); // moved into place when complete; else not wanted
    }
  }

  /** The export the job writes: requested, through the API, for this user. */
  private UUID exportOf(String user) {
    UUID export;
    try {
      export = UUID.fromString(String.valueOf(exportId));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("exportId must be an export's id");
    }
    ExportBinding binding =
        files
            .binding(export)
            .orElseThrow(
                () -> new IllegalArgumentException("no export " + export + " was requested"));
    if (!binding.userId().equals(user)) {
      throw new IllegalArgumentException("export " + export + " was requested for another user");
    }
    return export;
  }
}
