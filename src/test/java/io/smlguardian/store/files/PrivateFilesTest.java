package io.smlguardian.store.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @TempDir Path root;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void newDirectoriesAreTheUsersAlone() throws IOException {
    Path nested = root.resolve("a/b/c");
    PrivateFiles.createDirectories(nested);
    for (Path directory : List.of(root.resolve("a"), root.resolve("a/b"), nested)) {
      assertThat(permissions(directory)).as(directory.toString()).isEqualTo("rwx------");
    }
  }

  @Test
  void existingDirectoriesKeepTheirPermissions() throws IOException {
    Path shared = Files.createDirectory(root.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));
    PrivateFiles.createDirectories(shared);
    assertThat(permissions(shared)).isEqualTo("rwxr-x---");
  }

  @Test
  void newFilesAreTheUsersAlone() throws IOException {
    Path ledger = root.resolve("ledger.jsonl");
    try (FileChannel out = PrivateFiles.openForAppend(ledger)) {
      out.write(ByteBuffer.wrap("one\n".getBytes()));
    }
    try (FileChannel out = PrivateFiles.openForAppend(ledger)) {
      out.write(ByteBuffer.wrap("two\n".getBytes()));
    }
    assertThat(ledger).hasContent("one\ntwo");
    assertThat(permissions(ledger)).isEqualTo("rw-------");

    Path database = PrivateFiles.createFileIfMissing(root.resolve("store.db"));
    assertThat(permissions(database)).isEqualTo("rw-------");
    Files.writeString(database, "kept");
    PrivateFiles.createFileIfMissing(database);
    assertThat(database).hasContent("kept");
  }

  @Test
  void onlyTemporaryFilesOfTheGivenNamesAreRemoved() throws IOException {
    Path partial = Files.writeString(root.resolve(".gs-20261201T000000Z-abcdefgh-1.part"), "x");
    Path entry = Files.writeString(root.resolve(".entry-1.tmp"), "x");
    Path archive = Files.writeString(root.resolve("gs-20261201T000000Z-abcdefgh.zip"), "x");
    Path other = Files.writeString(root.resolve("notes.part.txt"), "x");
    Path directory = Files.createDirectory(root.resolve(".gs-dir.part"));

    List<Path> removed = PrivateFiles.removeTemporaryFiles(root, ".gs-*.part", ".entry-*.tmp");

    assertThat(removed).containsExactlyInAnyOrder(partial, entry);
    assertThat(partial).doesNotExist();
    assertThat(entry).doesNotExist();
    assertThat(archive).exists();
    assertThat(other).exists();
    assertThat(directory).exists();
    assertThat(PrivateFiles.removeTemporaryFiles(root.resolve("missing"), "*.part")).isEmpty();
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
