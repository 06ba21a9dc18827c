package io.smlguardian.store.sync;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.files.PrivateFiles;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Journal entries the store refused for good (see {@code DatabaseFailures.isRowRefusal}): kept
 * here, one file per record in the journal's directory ({@code dead-letters/<id>.json}, 0600), so
 * that one record the database will never take does not hold up the flusher, and is not lost
 * either. A file holds the journal's own text of the entry (its protected fields still sealed under
 * the journal key) with the store's refusal and its time; it is written and forced before the
 * journal's checkpoint moves past the entry, so a crash in between keeps the entry in one place or
 * both, never in neither.
 *
 * <p>Operators list them, put one back into the journal once the cause is mended, or discard it
 * ({@link SyncResource}). A record whose owner is erased is discarded by the next flush.
 */
final class DeadLetters {

  private static final String SUFFIX = ".json";

  private final Path directory;

  /**
   * A journal entry the store refused.
   *
   * @param reason the store's refusal, as it gave it
   * @param refusedAt when the flusher set it aside
   */
  record DeadLetter(JournalEntry entry, String reason, Instant refusedAt) {}

  private DeadLetters(Path directory) {
    this.directory = directory;
  }

  /** The dead letters of the journal in this directory (created, 0700, if missing). */
  static DeadLetters in(Path journalDirectory) throws IOException {
    Path directory = PrivateFiles.createDirectories(journalDirectory.resolve("dead-letters"));
    PrivateFiles.removeTemporaryFiles(directory, "*.tmp");
    return new DeadLetters(directory);
  }

  /** Keeps the entry, durably: once this returns, the file and its name are on disk. */
  void keep(JournalEntry entry, String reason, Instant refusedAt) throws IOException {
    String text =
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("reason", reason)
            .add("refusedAt", refusedAt.toString())
            .add("entry", IngestJournal.toJson(entry))
            .build()
            .toString();
    Path temporary = directory.resolve(entry.id() + ".tmp");
    try (FileChannel file =
        FileChannel.open(
            temporary,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING),
            PrivateFiles.fileAttributes())) {
      file.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      file.force(true);
    }
    Files.move(
        temporary,
        directory.resolve(entry.id() + SUFFIX),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    IngestJournal.forceDirectory(directory);
  }

  /** Every dead letter, oldest first. */
  List<DeadLetter> all() {
    List<DeadLetter> letters = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
        read(file).ifPresent(letters::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("The ingest's dead letters cannot be read", e);
    }
    letters.sort(Comparator.comparing(DeadLetter::refusedAt));
    return letters;
  }

  /** How many there are, without reading them. */
  long count() {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
    } catch (IOException e) {
      throw new UncheckedIOException("The ingest's dead letters cannot be counted", e);
    }
  }

  Optional<DeadLetter> find(UUID id) {
    return read(directory.resolve(id + SUFFIX));
  }

  /** Removes the record's dead letter; false when there was none. */
  boolean remove(UUID id) throws IOException {
    boolean removed = Files.deleteIfExists(directory.resolve(id + SUFFIX));
    if (removed) {
      IngestJournal.forceDirectory(directory);
    }
    return removed;
  }

  private static Optional<DeadLetter> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException gone) {
      return Optional.empty(); // removed meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException(
          "The dead letter " + file.getFileName() + " cannot be read", e);
    }
    JsonObject json = Jsonp.PROVIDER.createReader(new StringReader(text)).readObject();
    return Optional.of(
        new DeadLetter(
            IngestJournal.fromJson(json.getJsonObject("entry")),
            json.getString("reason"),
            Instant.parse(json.getString("refusedAt"))));
  }
}
