package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupConfigTest {

  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir Path directory;

  private static BackupConfig config(Map<String, String> settings) {
    return new BackupConfig(name -> Optional.ofNullable(settings.get(name)), ZoneId.of("UTC"));
  }

  @Test
  void defaultsAreTheSeeds() {
    BackupConfig config = config(Map.of());

    assertThat(config.enabled()).isFalse();
    assertThat(config.scheduled()).isFalse();
    assertThat(config.frequency()).isEqualTo(BackupConfig.Frequency.DAILY);
    assertThat(config.retentionDays()).isEqualTo(30);
    assertThat(config.compression()).isTrue();
    assertThat(config.key()).isEmpty();
  }

  @Test
  void aScheduleNeedsEnabledAndAFrequency() {
    assertThat(config(Map.of("BACKUP_ENABLED", "true", "BACKUP_FREQUENCY", "hourly")).scheduled())
        .isTrue();
    assertThat(config(Map.of("BACKUP_ENABLED", "true", "BACKUP_FREQUENCY", "off")).scheduled())
        .isFalse();
    assertThat(
            config(Map.of("BACKUP_ENABLED", "true", "BACKUP_FREQUENCY", "weekly"))
                .trigger()
                .toString())
        .isNotBlank();
  }

  @Test
  void aKeyComesFromTheEnvironmentOrAFileOutsideTheBackupDirectory() throws Exception {
    Path keyFile = Files.writeString(directory.resolve("backup.key"), KEY + "\n");

    assertThat(config(Map.of("BACKUP_ENCRYPTION_KEY", KEY)).key()).isPresent();
    assertThat(
            config(
                    Map.of(
                        "BACKUP_ENCRYPTION_KEY_FILE",
                        keyFile.toString(),
                        "BACKUP_DIR",
                        directory.resolve("backups").toString()))
                .key())
        .isPresent();
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "BACKUP_ENCRYPTION_KEY_FILE",
                        keyFile.toString(),
                        "BACKUP_DIR",
                        directory.toString())))
        .isInstanceOf(InvalidBackupConfigException.class)
        .hasMessageContaining("lies in the backup directory");
  }

  @Test
  void badValuesStopTheStartNamingEachVariable() {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "BACKUP_ENABLED", "yes",
                        "BACKUP_FREQUENCY", "monthly",
                        "BACKUP_RETENTION_DAYS", "0",
                        "BACKUP_COMPRESSION", "maybe",
                        "BACKUP_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[16]))))
        .isInstanceOf(InvalidBackupConfigException.class)
        .hasMessageContaining("BACKUP_ENABLED=yes")
        .hasMessageContaining("BACKUP_FREQUENCY=monthly")
        .hasMessageContaining("BACKUP_RETENTION_DAYS=0")
        .hasMessageContaining("BACKUP_COMPRESSION=maybe")
        .hasMessageContaining("BACKUP_ENCRYPTION_KEY must be 32 bytes");
  }
}
