package io.smlguardian.store.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Files and directories that only the server's own user may read: on a POSIX file system, files are
 * created 0600 and directories 0700, whatever the process's umask (records, keys' checks, erasure
 * receipts and audit digests are nobody else's business on a shared host). Elsewhere (Windows) the
 * file system's defaults apply. Files and directories that exist already keep their permissions: an
 * operator who chose others keeps them.
 */
public final class PrivateFiles {

  private static final Logger LOG = Logger.getLogger(PrivateFiles.class.getName());

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Creates the directory and any missing parent, each new one 0700; returns it. */
  public static Path createDirectories(Path directory) throws IOException {
    return POSIX
        ? Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createDirectories(directory);
  }

  /** Creates the file, 0600, when it does not exist; returns it. */
  public static Path createFileIfMissing(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, fileAttributes());
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another instance made it meanwhile: as good
      }
    }
    return file;
  }

  /** Opens the file for appending, creating it 0600 when missing. */
  public static FileChannel openForAppend(Path file) throws IOException {
    return FileChannel.open(
        file,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
        fileAttributes());
  }

  /** The attributes of a new private file (0600), for Files.createFile and FileChannel.open. */
  public static FileAttribute<?>[] fileAttributes() {
    return POSIX
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  /**
   * Deletes the temporary files that writes into this directory leave behind when the server stops
   * in the middle of one (a crash, a kill): called at start, before anything writes there.
   *
   * @param patterns glob patterns of the directory's temporary file names
   * @return the files deleted
   */
  public static List<Path> removeTemporaryFiles(Path directory, String... patterns)
      throws IOException {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return removed;
    }
    for (String pattern : patterns) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, pattern)) {
        for (Path file : files) {
          if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
              && Files.deleteIfExists(file)) {
            removed.add(file);
          }
        }
      }
    }
    if (!removed.isEmpty()) {
      LOG.info(
          "Removed "
              + removed.size()
              + " temporary file(s) left in "
              + directory
              + " by an earlier run: "
              + removed.stream().map(p -> p.getFileName().toString()).sorted().toList());
    }
    return removed;
  }
}
