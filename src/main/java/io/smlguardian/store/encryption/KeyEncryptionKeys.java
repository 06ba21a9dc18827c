package io.smlguardian.store.encryption;

import io.smlguardian.store.files.PrivateFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (KEKs): the middle of the three levels master key, KEK, user data key.
 * Each is a file in {@code KEY_DIR}, apart from the database, wrapped by a master key whose id it
 * names: {@code kek-<id>.json}. The newest wraps new data keys; a rotation adds a newer one,
 * re-wraps every data key under it, and destroys the files superseded longer ago than {@code
 * KEY_RETENTION}. A copy of the database (a dump, a replica) holds data keys wrapped by KEKs: once
 * those are destroyed, nothing in that copy opens again.
 *
 * <p>The directory is shared by every instance of a deployment. Each instance keeps the KEKs it
 * read in memory for at most {@code KEY_CACHE_TTL}, then reads the directory again: a KEK another
 * instance created is found, one it destroyed is forgotten within that bound.
 */
@ApplicationScoped
public class KeyEncryptionKeys {

  static final String FORMAT = "guardian-store-kek/1";
  private static final String PREFIX = "kek-";
  private static final String SUFFIX = ".json";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = Logger.getLogger(KeyEncryptionKeys.class.getName());

  /** One KEK as read from its file; {@code key} is null when no configured master key opens it. */
  public record Kek(UUID id, Instant createdAt, String masterKeyId, SecretKey key) {

    boolean usable() {
      return key != null;
    }
  }

  private EncryptionConfig config;
  private Clock clock;
  private Map<UUID, Kek> known = Map.of();
  private long readAt;
  private boolean read;

  protected KeyEncryptionKeys() {}

  @Inject
  public KeyEncryptionKeys(EncryptionConfig config) {
    this(config, Clock.systemUTC());
  }

  KeyEncryptionKeys(EncryptionConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The KEK new data keys are wrapped with: the newest, created when there is none. */
  public synchronized Kek current() {
    Optional<Kek> newest = newest(fresh());
    if (newest.isPresent() && newest.get().usable()) {
      return newest.get();
    }
    return create();
  }

  /** A KEK by id, if it still exists and this server holds the master key that wrapped it. */
  public synchronized Optional<SecretKey> byId(UUID id) {
    Kek kek = fresh().get(id);
    if (kek == null) {
      kek = reread().get(id); // another instance may have created it since
    }
    return Optional.ofNullable(kek).map(Kek::key);
  }

  /** Every KEK in the directory, oldest first. */
  public synchronized List<Kek> all() {
    return sorted(reread());
  }

  /** Adds a new KEK, wrapped by the current master key: from now on the current one. */
  public synchronized Kek create() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    Kek kek =
        new Kek(
            UUID.randomUUID(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            config.masterKey().id(),
            new SecretKeySpec(bytes, "AES"));
    write(kek);
    reread();
    LOG.info(() -> "Key-encryption key " + kek.id() + " created in " + directory());
    return kek;
  }

  /**
   * Rewrites every KEK wrapped by a previous master key under the current one; afterwards the
   * previous master keys wrap nothing and can be retired. KEKs that no configured master key opens
   * are left as they are (and reported by {@link #all()}).
   *
   * @return how many were rewritten
   */
  public synchronized int rewrapUnderCurrentMaster() {
    int rewritten = 0;
    for (Kek kek : sorted(reread())) {
      if (kek.usable() && !kek.masterKeyId().equals(config.masterKey().id())) {
        write(new Kek(kek.id(), kek.createdAt(), config.masterKey().id(), kek.key()));
        rewritten++;
      }
    }
    reread();
    return rewritten;
  }

  /**
   * Destroys every KEK superseded (by the next newer one) at least {@code retention} ago that no
   * data key uses any more; the newest is never destroyed.
   *
   * @param inUse whether a data key in the database is still wrapped by that KEK
   * @return the ids destroyed
   */
  public synchronized List<UUID> destroySuperseded(Duration retention, Predicate<UUID> inUse) {
    List<Kek> keks = sorted(reread());
    Instant now = clock.instant();
    List<UUID> destroyed = new ArrayList<>();
    for (int i = 0; i + 1 < keks.size(); i++) {
      Kek kek = keks.get(i);
      Instant superseded = keks.get(i + 1).createdAt();
      if (!superseded.plus(retention).isAfter(now) && !inUse.test(kek.id())) {
        try {
          Files.deleteIfExists(file(kek.id()));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot destroy " + file(kek.id()), e);
        }
        destroyed.add(kek.id());
      }
    }
    reread();
    if (!destroyed.isEmpty()) {
      LOG.info(
          () -> "Key-encryption keys destroyed (superseded over " + retention + "): " + destroyed);
    }
    return destroyed;
  }

  /** The KEKs as last read, read again when older than the cache's time to live. */
  private Map<UUID, Kek> fresh() {
    if (!read || System.nanoTime() - readAt > config.cacheTtl().toNanos()) {
      return reread();
    }
    return known;
  }

  private Map<UUID, Kek> reread() {
    Map<UUID, Kek> keks = new HashMap<>();
    Path directory = directory();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
      for (Path file : files) {
        try {
          Kek kek = parse(file);
          keks.put(kek.id(), kek);
        } catch (NoSuchFileException destroyedMeanwhile) {
          // another instance destroyed it while this one listed the directory
        } catch (IOException | RuntimeException e) {
          LOG.warning("Key-encryption key file " + file + " cannot be read: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read KEY_DIR " + directory, e);
    }
    this.known = Map.copyOf(keks);
    this.readAt = System.nanoTime();
    this.read = true;
    return known;
  }

  private Kek parse(Path file) throws IOException {
    JsonObject json;
    try (JsonReader reader = Json.createReader(Files.newBufferedReader(file))) {
      json = reader.readObject();
    }
    if (!FORMAT.equals(json.getString("format", null))) {
      throw new IllegalStateException("not " + FORMAT);
    }
    UUID id = UUID.fromString(json.getString("id"));
    Instant createdAt = Instant.parse(json.getString("createdAt"));
    String masterKeyId = json.getString("masterKeyId");
    SecretKey key =
        config
            .masterKey(masterKeyId)
            .map(
                master ->
                    (SecretKey)
                        new SecretKeySpec(
                            Aead.open(
                                master.key(),
                                Base64.getDecoder().decode(json.getString("wrapped")),
                                context(id, createdAt)),
                            "AES"))
            .orElse(null);
    if (key == null) {
      LOG.warning(
          "Key-encryption key "
              + id
              + " is wrapped by master key "
              + masterKeyId
              + ", which is not configured (ENCRYPTION_PREVIOUS_MASTER_KEYS): its data keys cannot"
              + " be opened");
    }
    return new Kek(id, createdAt, masterKeyId, key);
  }

  /** Writes the file whole or not at all (a temporary file moved into place). */
  private void write(Kek kek) {
    var master =
        config
            .masterKey(kek.masterKeyId())
            .orElseThrow(() -> new IllegalStateException("no master key " + kek.masterKeyId()));
    String json =
        Json.createObjectBuilder()
            .add("format", FORMAT)
            .add("id", kek.id().toString())
            .add("createdAt", kek.createdAt().toString())
            .add("masterKeyId", kek.masterKeyId())
            .add(
                "wrapped",
                Base64.getEncoder()
                    .encodeToString(
                        Aead.seal(
                            master.key(),
                            kek.key().getEncoded(),
                            context(kek.id(), kek.createdAt()))))
            .build()
            .toString();
    Path directory = directory();
    try {
      Path temporary =
          Files.createTempFile(directory, ".kek-", ".tmp", PrivateFiles.fileAttributes());
      try {
        Files.writeString(temporary, json);
        Files.move(temporary, file(kek.id()), StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a key-encryption key into " + directory, e);
    }
  }

  /** Binds a wrapped KEK to its id and time: a file cannot pass for another KEK, or a newer one. */
  private static String context(UUID id, Instant createdAt) {
    return "kek/" + id + "/" + createdAt;
  }

  private Path file(UUID id) {
    return directory().resolve(PREFIX + id + SUFFIX);
  }

  private Path directory() {
    try {
      return PrivateFiles.createDirectories(config.keyDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create KEY_DIR " + config.keyDirectory(), e);
    }
  }

  private static Optional<Kek> newest(Map<UUID, Kek> keks) {
    return keks.values().stream().max(ORDER);
  }

  private static List<Kek> sorted(Map<UUID, Kek> keks) {
    return keks.values().stream().sorted(ORDER).toList();
  }

  private static final Comparator<Kek> ORDER =
      Comparator.comparing(Kek::createdAt).thenComparing(Kek::id);
}
