package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.files.PrivateFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key escrows: every user's data key at one moment, in a file of {@code KEY_DIR} ({@code
 * escrow-<epoch millis>-<random>.jsonl}), for a disaster recovery that lost the database's {@code
 * user_keys} (archives never carry keys). The first line names the master key that wraps the
 * escrow's own key; each further line holds one data key (id, user, the key wrapped by the escrow's
 * key). A rotation writes one and deletes those older than {@code KEY_RETENTION}: an escrow still
 * holds the keys of users erased after it was written until then, which is why it is kept apart
 * from the archives and for no longer than the key-encryption keys.
 *
 * <p>An import adds the keys the database lacks (by id), wrapped anew by the current key-encryption
 * key; keys it already holds are left as they are.
 */
@ApplicationScoped
public class KeyEscrow {

  static final String FORMAT = "guardian-store-key-escrow/1";
  private static final Pattern NAME = Pattern.compile("escrow-(\\d{13})-[0-9a-f]{8}\\.jsonl");
  private static final int PAGE = 500;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = Logger.getLogger(KeyEscrow.class.getName());

  private EncryptionConfig config;
  private UserKeyService keys;
  private Clock clock;

  protected KeyEscrow() {}

  @Inject
  public KeyEscrow(EncryptionConfig config, UserKeyService keys) {
    this(config, keys, Clock.systemUTC());
  }

  KeyEscrow(EncryptionConfig config, UserKeyService keys, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
  }

  /** What an escrow holds, or what an import of one did. */
  @JsonbPropertyOrder({"name", "keys", "imported", "unreadable"})
  public record Summary(String name, long keys, long imported, long unreadable) {}

  /** Whether the text is an escrow's name (and so names nothing outside KEY_DIR). */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Writes an escrow of every data key there is now. */
  public Summary write() {
    byte[] escrowKey = new byte[32];
    RANDOM.nextBytes(escrowKey);
    SecretKey key = new SecretKeySpec(escrowKey, "AES");
    Instant now = clock.instant();
    String name =
        "escrow-"
            + String.format("%013d", now.toEpochMilli())
            + "-"
            + HexFormat.of().formatHex(random4())
            + ".jsonl";
    Path directory = directory();
    long written = 0;
    long unreadable = 0;
    try {
      Path temporary =
          Files.createTempFile(directory, ".escrow-", ".tmp", PrivateFiles.fileAttributes());
      try {
        try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
          var master = config.masterKey();
          out.write(
              Json.createObjectBuilder()
                  .add("format", FORMAT)
                  .add("name", name)
                  .add("createdAt", now.toString())
                  .add("masterKeyId", master.id())
                  .add(
                      "wrapped",
                      Base64.getEncoder()
                          .encodeToString(Aead.seal(master.key(), escrowKey, "escrow/" + name)))
                  .build()
                  .toString());
          out.newLine();
          TimeKey after = null;
          while (true) {
            List<UserKey> page = keys.page(after, PAGE);
            for (UserKey stored : page) {
              SecretKey clear;
              try {
                clear = keys.unwrap(stored);
              } catch (UnreadableDataException e) {
                unreadable++;
                continue;
              }
              out.write(
                  Json.createObjectBuilder()
                      .add("id", stored.getId().toString())
                      .add("userId", stored.getUserId())
                      .add(
                          "key",
                          Base64.getEncoder()
                              .encodeToString(
                                  Aead.seal(
                                      key,
                                      clear.getEncoded(),
                                      context(stored.getId(), stored.getUserId()))))
                      .build()
                      .toString());
              out.newLine();
              written++;
            }
            if (page.size() < PAGE) {
              break;
            }
            UserKey last = page.get(page.size() - 1);
            after = new TimeKey(last.getCreatedAt(), last.getId());
          }
        }
        Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a key escrow into " + directory, e);
    }
    long count = written;
    LOG.info(() -> "Key escrow " + name + " written: " + count + " data keys");
    return new Summary(name, written, 0, unreadable);
  }

  /**
   * Imports the escrow's keys that the database lacks.
   *
   * @throws NoSuchFileException when there is no such escrow in KEY_DIR
   */
  public Summary importKeys(String name) throws NoSuchFileException {
    if (!validName(name)) {
      throw new IllegalArgumentException("not an escrow's name: " + name);
    }
    Path file = directory().resolve(name);
    long read = 0;
    long imported = 0;
    long unreadable = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonObject header = json(in.readLine());
      if (!FORMAT.equals(header.getString("format", null))
          || !name.equals(header.getString("name", null))) {
        throw new IllegalStateException(name + " is not a key escrow of this format");
      }
      var master =
          config
              .masterKey(header.getString("masterKeyId"))
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "The escrow "
                              + name
                              + " is wrapped by master key "
                              + header.getString("masterKeyId")
                              + ", which this server does not hold"));
      SecretKey key =
          new SecretKeySpec(
              Aead.open(
                  master.key(),
                  Base64.getDecoder().decode(header.getString("wrapped")),
                  "escrow/" + name),
              "AES");
      List<UserKeyService.Imported> batch = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject entry = json(line);
        read++;
        UUID id = UUID.fromString(entry.getString("id"));
        String userId = entry.getString("userId");
        try {
          byte[] clear =
              Aead.open(
                  key, Base64.getDecoder().decode(entry.getString("key")), context(id, userId));
          batch.add(new UserKeyService.Imported(id, userId, new SecretKeySpec(clear, "AES")));
        } catch (UnreadableDataException e) {
          unreadable++;
        }
        if (batch.size() == PAGE) {
          imported += keys.importMissing(batch);
          batch.clear();
        }
      }
      imported += keys.importMissing(batch);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the key escrow " + file, e);
    }
    long total = imported;
    LOG.info(() -> "Key escrow " + name + " imported: " + total + " data keys were missing");
    return new Summary(name, read, imported, unreadable);
  }

  /** The escrows in KEY_DIR, oldest first. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory(), "escrow-*.jsonl")) {
      for (Path file : files) {
        if (validName(file.getFileName().toString())) {
          names.add(file.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read KEY_DIR", e);
    }
    names.sort(null);
    return names;
  }

  /** Deletes the escrows written {@code retention} ago or earlier; returns their names. */
  public List<String> deleteOlderThan(Duration retention) {
    Instant limit = clock.instant().minus(retention);
    List<String> deleted = new ArrayList<>();
    for (String name : names()) {
      Optional<Instant> written = writtenAt(name);
      if (written.isPresent() && !written.get().isAfter(limit)) {
        try {
          Files.deleteIfExists(directory().resolve(name));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot delete the key escrow " + name, e);
        }
        deleted.add(name);
      }
    }
    return deleted;
  }

  static Optional<Instant> writtenAt(String name) {
    var matcher = NAME.matcher(name);
    return matcher.matches()
        ? Optional.of(Instant.ofEpochMilli(Long.parseLong(matcher.group(1))))
        : Optional.empty();
  }

  private static byte[] random4() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** Binds an escrowed key to its id and user. */
  private static String context(UUID id, String userId) {
    return "escrow-key/" + id + "/" + userId;
  }

  private static JsonObject json(String line) {
    if (line == null) {
      throw new IllegalStateException("the key escrow is empty");
    }
    try (var reader = Json.createReader(new StringReader(line))) {
      return reader.readObject();
    }
  }

  private Path directory() {
    try {
      return PrivateFiles.createDirectories(config.keyDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create KEY_DIR " + config.keyDirectory(), e);
    }
  }
}
