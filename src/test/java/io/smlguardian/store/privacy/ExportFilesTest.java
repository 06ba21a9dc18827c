package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export directory's bindings, completion, erasure and retention, on a clock of the test's. */
class ExportFilesTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path directory;

  private final MutableClock clock = new MutableClock(T0);

  private ExportFiles files() {
    return new ExportFiles(directory, Duration.ofDays(7), clock);
  }

  @Test
  void anExportIsServedOnlyOnceCompleteAndOnlyAsItsOwnUsers() throws Exception {
    ExportFiles files = files();
    ExportBinding requested = files.request("u1", "officer");
    assertThat(files.completeFile(requested)).isEmpty();
    files.started(requested.exportId(), 1);
    assertThat(files.binding(requested.exportId()).orElseThrow().executionId()).isEqualTo(1L);

    Path partial = files.partialFile();
    Files.writeString(partial, "zip");
    ExportBinding done = files.complete(requested.exportId(), partial);

    assertThat(done.userId()).isEqualTo("u1");
    assertThat(done.bytes()).isEqualTo(3);
    assertThat(files.completeFile(files.binding(requested.exportId()).orElseThrow()))
        .hasValueSatisfying(f -> assertThat(f).hasContent("zip"));
    assertThat(partial).doesNotExist();
  }

  @Test
  void exportIdsNeverRepeat() throws Exception {
    ExportFiles files = files();
    assertThat(files.request("u1", "o").exportId())
        .isNotEqualTo(files.request("u1", "o").exportId());
  }

  @Test
  void erasingAUserDeletesItsExportsAndAnExportFinishingAfterwardsIsDiscarded() throws Exception {
    ExportFiles files = files();
    ExportBinding finished = complete(files, "u1");
    ExportBinding running = files.request("u1", "officer");
    ExportBinding others = complete(files, "u2");

    assertThat(files.deleteExportsOf("u1")).isEqualTo(2);

    assertThat(files.binding(finished.exportId())).isEmpty();
    assertThat(directory.resolve("export-" + finished.exportId() + ".zip")).doesNotExist();
    Path partial = files.partialFile();
    assertThatThrownBy(() -> files.complete(running.exportId(), partial))
        .isInstanceOf(ExportFiles.ExportGoneException.class);
    assertThat(partial).doesNotExist();
    assertThat(directory.resolve("export-" + running.exportId() + ".zip")).doesNotExist();
    assertThat(files.completeFile(files.binding(others.exportId()).orElseThrow())).isPresent();
  }

  @Test
  void theSweepDeletesExportsOlderThanTheRetentionAndUnboundFiles() throws Exception {
    ExportFiles files = files();
    ExportBinding old = complete(files, "u1");
    clock.now = T0.plus(Duration.ofDays(3));
    ExportBinding recent = complete(files, "u2");
    Path unbound = Files.writeString(directory.resolve("export-17.zip"), "from an older version");

    clock.now = T0.plus(Duration.ofDays(7)); // exactly the retention: kept
    assertThat(files.sweep()).isEmpty();
    assertThat(unbound).doesNotExist();

    clock.now = T0.plus(Duration.ofDays(7)).plusMillis(1);
    assertThat(files.sweep()).containsExactly(old.exportId());
    assertThat(files.binding(old.exportId())).isEmpty();
    assertThat(directory.resolve("export-" + old.exportId() + ".zip")).doesNotExist();
    assertThat(files.binding(recent.exportId())).isPresent();

    clock.now = T0.plus(Duration.ofDays(11));
    assertThat(files.sweep()).containsExactly(recent.exportId());
    try (var left = Files.list(directory)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void atStartTheExportsAStoppedServerWasWritingAreRemoved() throws Exception {
    ExportFiles files = files();
    ExportBinding finished = complete(files, "u1");
    ExportBinding unfinished = files.request("u2", "officer");
    Path partial = files.partialFile();

    files.start(new Object());

    assertThat(files.binding(finished.exportId())).isPresent();
    assertThat(files.binding(unfinished.exportId())).isEmpty();
    assertThat(partial).doesNotExist();
  }

  @Test
  void theRetentionIsAPositiveIsoDuration() {
    assertThat(ExportFiles.retention("P7D")).isEqualTo(Duration.ofDays(7));
    assertThat(ExportFiles.retention(" PT12H ")).isEqualTo(Duration.ofHours(12));
    for (String bad : List.of("7", "P0D", "-P1D", "PT0S", "", "1 week")) {
      assertThatThrownBy(() -> ExportFiles.retention(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("EXPORT_FILE_RETENTION=" + bad);
    }
  }

  private static ExportBinding complete(ExportFiles files, String user) throws Exception {
    ExportBinding binding = files.request(user, "officer");
    Path partial = files.partialFile();
    Files.writeString(partial, "zip of " + user);
    return files.complete(binding.exportId(), partial);
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
