package io.smlguardian.store.backup;

import io.smlguardian.store.files.PrivateFiles;
import io.smlguardian.store.platform.Settings;
import jakarta.enterprise.concurrent.CronTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.Config;

/**
 * Backups' configuration, read once and validated at start-up: a bad value stops the application
 * with a message naming the variable, rather than backing up (or not) by a silent default.
 *
 * <ul>
 *   <li>{@code BACKUP_DIR} (the server's output directory + {@code /backups}): where archives live
 *       (and where the erasure ledger file of older versions is found, to be imported).
 *   <li>{@code BACKUP_ENABLED} ({@code false}) and {@code BACKUP_FREQUENCY} ({@code daily}: off,
 *       hourly, daily or weekly): the schedule.
 *   <li>{@code BACKUP_RETENTION_DAYS} ({@code 30}): archives older than this are deleted after each
 *       backup; the newest never is.
 *   <li>{@code BACKUP_COMPRESSION} ({@code true}): gzip each collection's stream.
 *   <li>{@code BACKUP_ENCRYPTION_KEY} or {@code BACKUP_ENCRYPTION_KEY_FILE}: 32 random bytes,
 *       base64; archives are then encrypted (AES-256-GCM), and unencrypted ones are refused unless
 *       a request allows them ({@link BackupArchives#refuseUnencrypted}). The key file may not lie
 *       in the backup directory: a key stored beside the backups protects nothing.
 * </ul>
 */
@ApplicationScoped
public class BackupConfig {

  static final String DIR = "BACKUP_DIR";
  static final String ENABLED = "BACKUP_ENABLED";
  static final String FREQUENCY = "BACKUP_FREQUENCY";
  static final String RETENTION_DAYS = "BACKUP_RETENTION_DAYS";
  static final String COMPRESSION = "BACKUP_COMPRESSION";
  static final String KEY = "BACKUP_ENCRYPTION_KEY";
  static final String KEY_FILE = "BACKUP_ENCRYPTION_KEY_FILE";

  private static final Logger LOG = Logger.getLogger(BackupConfig.class.getName());

  /** How often the schedule takes a backup, and when (server time zone). */
  public enum Frequency {
    OFF(null),
    HOURLY("0 * * * *"),
    DAILY("0 2 * * *"),
    WEEKLY("0 2 * * 0");

    private final String cron;

    Frequency(String cron) {
      this.cron = cron;
    }

    /** The cron expression, or null for off. */
    public String cron() {
      return cron;
    }
  }

  private Path directory;
  private boolean enabled;
  private Frequency frequency;
  private int retentionDays;
  private boolean compression;
  private SecretKey key;
  private ZoneId zone;

  protected BackupConfig() {}

  @Inject
  public BackupConfig(Config config) {
    this(
        name -> config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()),
        ZoneId.systemDefault());
  }

  /**
   * @param setting the value of a configuration variable, if set (and not blank)
   */
  BackupConfig(Function<String, Optional<String>> setting, ZoneId zone) {
    List<String> problems = new ArrayList<>();
    this.zone = zone;
    this.directory =
        Path.of(setting.apply(DIR).map(String::trim).orElse("backups"))
            .toAbsolutePath()
            .normalize();
    this.enabled = Settings.flag(setting, ENABLED, false, problems);
    this.compression = Settings.flag(setting, COMPRESSION, true, problems);
    String frequencyText = setting.apply(FREQUENCY).map(String::trim).orElse("daily");
    try {
      this.frequency = Frequency.valueOf(frequencyText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(FREQUENCY + "=" + frequencyText + " must be off, hourly, daily or weekly");
      this.frequency = Frequency.OFF;
    }
    this.retentionDays = retentionDays(setting, problems);
    this.key = key(setting, problems);
    if (!problems.isEmpty()) {
      throw new InvalidBackupConfigException(problems);
    }
  }

  /**
   * Makes the container build (and so validate) this configuration while the application starts.
   */
  void validateAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    try {
      PrivateFiles.createDirectories(directory);
      PrivateFiles.removeTemporaryFiles(directory, BackupArchives.TEMPORARY_FILES);
    } catch (IOException e) {
      throw new InvalidBackupConfigException(
          List.of(DIR + "=" + directory + " cannot be created: " + e.getMessage()));
    }
    LOG.info(
        () ->
            "Backups in "
                + directory
                + (scheduled() ? ", scheduled " + frequency.name().toLowerCase(Locale.ROOT) : "")
                + ", kept "
                + retentionDays
                + " days"
                + (compression ? ", compressed" : "")
                + (key != null ? ", encrypted" : ", not encrypted"));
  }

  public Path directory() {
    return directory;
  }

  public boolean enabled() {
    return enabled;
  }

  public Frequency frequency() {
    return frequency;
  }

  /** Whether the schedule takes backups by itself. */
  public boolean scheduled() {
    return enabled && frequency != Frequency.OFF;
  }

  /** The schedule's trigger; only when {@link #scheduled()}. */
  public CronTrigger trigger() {
    return new CronTrigger(frequency.cron(), zone);
  }

  public int retentionDays() {
    return retentionDays;
  }

  public boolean compression() {
    return compression;
  }

  /** The archives' key, when encryption is configured. */
  public Optional<SecretKey> key() {
    return Optional.ofNullable(key);
  }

  private static int retentionDays(
      Function<String, Optional<String>> setting, List<String> problems) {
    Optional<String> value = setting.apply(RETENTION_DAYS).map(String::trim);
    if (value.isEmpty()) {
      return 30;
    }
    try {
      int days = Integer.parseInt(value.get());
      if (days >= 1 && days <= 36_500) {
        return days;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(RETENTION_DAYS + "=" + value.get() + " must be a whole number of days, 1 or more");
    return 30;
  }

  private SecretKey key(Function<String, Optional<String>> setting, List<String> problems) {
    Optional<String> inline = setting.apply(KEY);
    Optional<String> file = setting.apply(KEY_FILE).map(String::trim);
    String base64;
    String source;
    if (inline.isPresent()) {
      base64 = inline.get();
      source = KEY;
    } else if (file.isPresent()) {
      Path path = Path.of(file.get()).toAbsolutePath().normalize();
      if (path.startsWith(directory)) {
        problems.add(
            KEY_FILE
                + "="
                + path
                + " lies in the backup directory "
                + directory
                + ": keep the key apart from the backups it protects");
        return null;
      }
      try {
        base64 = Files.readString(path);
      } catch (IOException e) {
        problems.add(KEY_FILE + "=" + path + " cannot be read: " + e.getMessage());
        return null;
      }
      source = KEY_FILE;
    } else {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      problems.add(source + " is not base64 (e.g. openssl rand -base64 32)");
      return null;
    }
    if (bytes.length != 32) {
      problems.add(source + " must be 32 bytes (AES-256), base64; it is " + bytes.length);
      return null;
    }
    return new SecretKeySpec(bytes, "AES");
  }
}
