package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.AuditKey;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.backup.archive.ArchiveMac;
import io.smlguardian.store.backup.archive.ArchiveReader;
import io.smlguardian.store.backup.archive.ArchiveWriter;
import io.smlguardian.store.backup.archive.BackupException;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.SegmentedEncryption;
import io.smlguardian.store.backup.archive.Verification;
import io.smlguardian.store.files.PrivateFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.crypto.SecretKey;

/**
 * The backup directory: one archive per backup, named {@code <backupId>.zip}. Every path here is
 * built from a {@link BackupId} (which admits no separator, dot or other path syntax) and checked
 * to lie directly in the directory, so nothing outside it is ever read or written through an id.
 */
@ApplicationScoped
public class BackupArchives {

  private static final Logger LOG = Logger.getLogger(BackupArchives.class.getName());

  /**
   * The names of the files an archive is written or received into before it is published (see
   * {@link #partial}, and the entries' files of {@link ArchiveWriter}): what a server that stopped
   * in the middle of a backup or upload leaves behind, removed at the next start.
   */
  static final String[] TEMPORARY_FILES = {".gs-*.part", ".entry-*.tmp"};

  private BackupConfig config;
  private ArchiveMac mac;
  private AuditTrail audit;

  protected BackupArchives() {}

  @Inject
  public BackupArchives(BackupConfig config, AuditKey auditKey, AuditTrail audit) {
    this.config = config;
    this.mac = ArchiveMac.of(auditKey);
    this.audit = audit;
  }

  /** This server's archive key: it authenticates the archives it writes and reads. */
  ArchiveMac mac() {
    return mac;
  }

  /**
   * Refuses an unencrypted archive on a server that encrypts its backups, unless the caller said
   * explicitly that it accepts one: archives taken elsewhere without a key would otherwise bring
   * clear text (apart from the sealed fields) into a store that promises encrypted copies.
   *
   * @return whether an unencrypted archive is accepted here by that explicit choice, which the
   *     caller then records ({@link #recordUnencrypted})
   * @throws BackupException (conflict) when it is refused
   */
  boolean refuseUnencrypted(ArchiveReader reader, boolean accepted) {
    boolean unencryptedHere = !reader.manifest().encrypted() && config.key().isPresent();
    if (unencryptedHere && !accepted) {
      throw BackupException.conflict(
          "Backup "
              + reader.manifest().backupId()
              + " is not encrypted, and this server encrypts its backups (BACKUP_ENCRYPTION_KEY):"
              + " it is refused, and nothing was changed. Add allowUnencrypted=true to accept it;"
              + " that choice is recorded in the audit trail.");
    }
    return unencryptedHere;
  }

  /**
   * Records in the audit trail that an unencrypted archive was accepted on this server, which
   * encrypts its backups, and who accepted it, for what.
   *
   * @param accessType backup (an upload) or restore
   */
  void recordUnencrypted(BackupId id, String caller, String accessType) {
    audit.operationRun(
        accessType,
        caller,
        "unencrypted " + accessType + " " + id.value(),
        true,
        Json.createObjectBuilder()
            .add("backupId", id.value())
            .add("encrypted", false)
            .add("allowUnencrypted", true)
            .build()
            .toString());
    LOG.warning(
        () ->
            "Unencrypted backup "
                + id
                + " accepted ("
                + accessType
                + ") by "
                + caller
                + " on a server that encrypts its backups");
  }

  /** Where the archive of that id lives (whether or not it exists). */
  Path path(BackupId id) {
    Path directory = config.directory();
    Path file = directory.resolve(id.fileName()).normalize();
    if (!directory.equals(file.getParent())) {
      throw new BackupId.InvalidBackupIdException(id.value());
    }
    return file;
  }

  /** The archive of that id; 404 when there is none. */
  public Path existing(BackupId id) {
    Path file = path(id);
    if (!Files.isRegularFile(file)) {
      throw BackupException.notFound("There is no backup " + id + ".");
    }
    return file;
  }

  /** A new partial file (0600) for an archive being written or received, in the directory. */
  Path partial(BackupId id) throws IOException {
    PrivateFiles.createDirectories(config.directory());
    return Files.createTempFile(config.directory(), "." + id.value() + "-", ".part");
  }

  /**
   * Puts a complete archive in place under its id, unless a backup of that id exists already: a
   * hard link to the partial file creates the name or fails, in one step, so that of two uploads of
   * one id that race, exactly one is published (a rename would silently replace the other's).
   *
   * @throws BackupException conflict when a backup of that id exists
   */
  Path publish(Path partial, BackupId id) throws IOException {
    Path target = path(id);
    try {
      Files.createLink(target, partial);
    } catch (FileAlreadyExistsException e) {
      throw BackupException.conflict("Backup " + id + " exists already; delete it first.");
    } catch (UnsupportedOperationException e) {
      // No hard links on this file system: a move, which refuses an existing name too (checked,
      // then renamed: two uploads racing there could both pass the check).
      try {
        return Files.move(partial, target);
      } catch (FileAlreadyExistsException exists) {
        throw BackupException.conflict("Backup " + id + " exists already; delete it first.");
      }
    }
    Files.delete(partial);
    return target;
  }

  /** Every backup in the directory, newest first. */
  public List<BackupSummary> list() {
    List<BackupSummary> summaries = new ArrayList<>();
    for (BackupId id : ids()) {
      summaries.add(summary(id));
    }
    summaries.sort(Comparator.comparing(BackupSummary::backupId).reversed());
    return summaries;
  }

  /** One backup; 404 when there is none. */
  public BackupSummary summary(BackupId id) {
    return summary(id, false);
  }

  /** One backup with its whole manifest; 404 when there is none. */
  public BackupSummary detail(BackupId id) {
    return summary(id, true);
  }

  private BackupSummary summary(BackupId id, boolean detailed) {
    Path file = existing(id);
    long size = sizeOf(file);
    try {
      return BackupSummary.of(id, size, ArchiveReader.open(file, id, mac).manifest(), detailed);
    } catch (IOException e) {
      return BackupSummary.unreadable(id, size, "unreadable: " + e.getMessage());
    }
  }

  /**
   * Recomputes every checksum of the archive.
   *
   * @throws BackupException (conflict) when it is encrypted and this server lacks its key
   */
  public Verification verify(BackupId id, Optional<SecretKey> key) {
    Path file = existing(id);
    ArchiveReader reader;
    try {
      reader = ArchiveReader.open(file, id, mac);
    } catch (IOException e) {
      return Verification.unreadable(id, sizeOf(file), "The archive " + e.getMessage());
    }
    return reader.verify(reader.requireKey(key), true);
  }

  /**
   * Takes in an archive sent by a client (another server's backup, for a restore or a move between
   * backends): written to a partial file, checked (every stored checksum; the content too when it
   * is not encrypted or this server has the key), and only then published under its id.
   *
   * @param allowUnencrypted whether an unencrypted archive is accepted on a server that encrypts
   *     its backups ({@link #refuseUnencrypted}; recorded in the audit trail)
   * @param caller who sends it, for the audit trail
   * @throws BackupException bad request when it is not a complete, intact archive of this server's
   *     (authenticated, within the manifest's limits) of that id; conflict when a backup of that id
   *     exists already, or it is not encrypted and this server encrypts
   */
  public BackupSummary receive(
      BackupId id,
      InputStream body,
      Optional<SecretKey> key,
      boolean allowUnencrypted,
      String caller)
      throws IOException {
    if (Files.exists(path(id))) {
      throw BackupException.conflict("Backup " + id + " exists already; delete it first.");
    }
    Path partial = partial(id);
    try {
      try (OutputStream out = Files.newOutputStream(partial)) { // keeps the partial file's 0600
        body.transferTo(out);
      }
      ArchiveReader reader;
      try {
        reader = ArchiveReader.open(partial, id, mac);
      } catch (ArchiveReader.DamagedArchiveException e) {
        throw BackupException.badRequest(
            "The archive sent is not a usable backup: " + e.getMessage());
      }
      boolean unencrypted = refuseUnencrypted(reader, allowUnencrypted);
      SecretKey usable =
          !reader.manifest().encrypted()
              ? null
              : key.filter(
                      k ->
                          SegmentedEncryption.matches(k, reader.manifest().encryption().keyCheck()))
                  .orElse(null);
      boolean decode = !reader.manifest().encrypted() || usable != null;
      Verification verification = reader.verify(usable, decode);
      if (!verification.valid()) {
        throw BackupException.badRequest(
            "The archive sent is damaged: " + String.join("; ", verification.problems()));
      }
      publish(partial, id);
      if (unencrypted) {
        recordUnencrypted(id, caller, "backup");
      }
      return summary(id);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Deletes a backup; 404 when there is none. */
  public void delete(BackupId id) throws IOException {
    Files.delete(existing(id));
  }

  /**
   * Deletes the archives older than the retention period, but never the newest one (a store that
   * stopped changing still has its last backup).
   *
   * @return the ids deleted
   */
  List<BackupId> expire(Instant now) {
    List<BackupId> expired = expired(ids(), now, config.retentionDays());
    for (BackupId id : expired) {
      try {
        Files.deleteIfExists(path(id));
        LOG.info(
            () -> "Backup " + id + " expired (older than " + config.retentionDays() + " days)");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete expired backup " + id, e);
      }
    }
    return expired;
  }

  /** Of these backups, those older than the period, except the newest of all. */
  static List<BackupId> expired(List<BackupId> ids, Instant now, int retentionDays) {
    Optional<BackupId> newest = ids.stream().max(Comparator.naturalOrder());
    Instant cutoff = now.minus(Duration.ofDays(retentionDays));
    return ids.stream()
        .filter(id -> !id.equals(newest.orElse(null)))
        .filter(id -> id.created().isBefore(cutoff))
        .sorted()
        .toList();
  }

  private List<BackupId> ids() {
    List<BackupId> ids = new ArrayList<>();
    if (!Files.isDirectory(config.directory())) {
      return ids;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(config.directory(), "gs-*.zip")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (BackupId.isArchiveName(name) && Files.isRegularFile(file)) {
          ids.add(BackupId.parse(name.substring(0, name.length() - 4)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + config.directory(), e);
    }
    return ids;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
