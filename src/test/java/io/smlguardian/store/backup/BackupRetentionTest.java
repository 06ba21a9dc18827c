package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.backup.archive.BackupId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which archives the backup job deletes: those past the retention period, never the newest. */
class BackupRetentionTest {

  private static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");
  private static final BackupId OLD = BackupId.parse("gs-20261001T020000Z-aaaaaaaa");
  private static final BackupId OLDER = BackupId.parse("gs-20260901T020000Z-bbbbbbbb");
  private static final BackupId RECENT = BackupId.parse("gs-20261120T020000Z-cccccccc");
  private static final BackupId JUST_INSIDE = BackupId.parse("gs-20261027T060001Z-dddddddd");

  @Test
  void deletesOnlyWhatIsOlderThanThePeriod() {
    assertThat(BackupArchives.expired(List.of(RECENT, OLD, JUST_INSIDE, OLDER), NOW, 30))
        .containsExactly(OLDER, OLD);
  }

  @Test
  void neverDeletesTheNewestEvenWhenItIsOld() {
    assertThat(BackupArchives.expired(List.of(OLD, OLDER), NOW, 30)).containsExactly(OLDER);
    assertThat(BackupArchives.expired(List.of(OLDER), NOW, 1)).isEmpty();
    assertThat(BackupArchives.expired(List.of(), NOW, 1)).isEmpty();
  }
}
