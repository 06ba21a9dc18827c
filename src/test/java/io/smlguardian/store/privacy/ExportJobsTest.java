package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export's status as its job and its binding say, however the two interleave. */
class ExportJobsTest {

  private static final long EXECUTION = 7;

  @TempDir Path directory;

  /**
   * The job completes just after the status has read the binding a second time: Liberty's in-memory
   * job repository answers the execution itself, not a copy, so it shows COMPLETED from then on.
   * The status must not put that beside the binding read before, as FAILED.
   */
  @Test
  void aJobCompletingWhileItsStatusIsReadIsNeverFailed() throws Exception {
    LiveExecution execution = new LiveExecution();
    FilesCompletingOnRead files = new FilesCompletingOnRead(directory, execution);
    ExportBinding requested = files.request("u1", "officer");
    files.started(requested.exportId(), EXECUTION);
    files.completeAfterRead = files.reads + 2; // the status's second read of the binding
    ExportJobs jobs = new ExportJobs(files, null, new FakeOperator(requested, execution));

    ExportJobs.Export during = jobs.status(requested.exportId().toString());

    assertThat(execution.status).as("completed during the status").isEqualTo(BatchStatus.COMPLETED);
    assertThat(during.status()).isEqualTo("STARTED");
    assertThat(during.fileReady()).isFalse();
    ExportJobs.Export after = jobs.status(requested.exportId().toString());
    assertThat(after.status()).isEqualTo("COMPLETED");
    assertThat(after.fileReady()).isTrue();
  }

  /** Export files whose job completes right after a given read of a binding. */
  private static final class FilesCompletingOnRead extends ExportFiles {
    private final LiveExecution execution;
    int reads;
    int completeAfterRead = -1;

    FilesCompletingOnRead(Path directory, LiveExecution execution) {
      super(directory, Duration.ofDays(7), Clock.systemUTC());
      this.execution = execution;
    }

    @Override
    Optional<ExportBinding> binding(UUID exportId) {
      Optional<ExportBinding> read = super.binding(exportId);
      if (++reads == completeAfterRead) {
        // As UserExportBatchlet does, then the batch runtime once the batchlet has returned.
        try {
          Path partial = partialFile();
          Files.writeString(partial, "zip");
          ExportBinding done = complete(exportId, partial);
          execution.exitStatus = "COMPLETED " + done.bytes() + " bytes";
          execution.status = BatchStatus.COMPLETED;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return read;
    }
  }

  /** The batch identity's operator, knowing one execution of the export job. */
  private static final class FakeOperator extends SystemJobOperator {
    private final JobOperator operator;

    FakeOperator(ExportBinding export, JobExecution execution) {
      Properties parameters = new Properties();
      parameters.setProperty("exportId", export.exportId().toString());
      operator =
          (JobOperator)
              Proxy.newProxyInstance(
                  JobOperator.class.getClassLoader(),
                  new Class<?>[] {JobOperator.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "getJobExecution" -> execution;
                        case "getParameters" -> parameters;
                        default -> throw new UnsupportedOperationException(method.getName());
                      });
    }

    @Override
    public <T> T call(Function<JobOperator, T> operation) {
      return operation.apply(operator);
    }
  }

  /** An execution as the in-memory job repository answers it: the job's own, changing. */
  private static final class LiveExecution implements JobExecution {
    volatile BatchStatus status = BatchStatus.STARTED;
    volatile String exitStatus;

    @Override
    public long getExecutionId() {
      return EXECUTION;
    }

    @Override
    public String getJobName() {
      return ExportJobs.JOB;
    }

    @Override
    public BatchStatus getBatchStatus() {
      return status;
    }

    @Override
    public Date getStartTime() {
      return null;
    }

    @Override
    public Date getEndTime() {
      return null;
    }

    @Override
    public String getExitStatus() {
      return exitStatus;
    }

    @Override
    public Date getCreateTime() {
      return null;
    }

    @Override
    public Date getLastUpdatedTime() {
      return null;
    }

    @Override
    public Properties getJobParameters() {
      return null;
    }
  }
}
