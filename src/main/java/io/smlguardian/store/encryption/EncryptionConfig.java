package io.smlguardian.store.encryption;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The master key that wraps every user's data key: 32 random bytes, base64, from the environment
 * ({@code ENCRYPTION_MASTER_KEY}) or from a file ({@code ENCRYPTION_MASTER_KEY_FILE}, e.g. a
 * mounted secret). It is never stored by the service. Without one the service refuses to start:
 * sensitive data is never written in clear.
 */
@ApplicationScoped
public class EncryptionConfig {

  private SecretKey masterKey;

  protected EncryptionConfig() {}

  @Inject
  public EncryptionConfig(
      @ConfigProperty(name = "ENCRYPTION_MASTER_KEY") Optional<String> key,
      @ConfigProperty(name = "ENCRYPTION_MASTER_KEY_FILE") Optional<String> file) {
    String base64 =
        key.filter(k -> !k.isBlank())
            .or(() -> file.filter(f -> !f.isBlank()).map(EncryptionConfig::read))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No master key: set ENCRYPTION_MASTER_KEY (32 random bytes, base64) or"
                            + " ENCRYPTION_MASTER_KEY_FILE; e.g. openssl rand -base64 32"));
    this.masterKey = masterKey(base64);
  }

  static SecretKey masterKey(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The master key is not base64", e);
    }
    if (bytes.length != 32) {
      throw new IllegalStateException(
          "The master key must be 32 bytes (AES-256), got " + bytes.length);
    }
    return new SecretKeySpec(bytes, "AES");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read ENCRYPTION_MASTER_KEY_FILE " + file, e);
    }
  }

  /** Reads the key while the application starts, so that a missing or bad one stops the start. */
  void verifyAtStart(@Observes Startup startup) {
    masterKey();
  }

  public SecretKey masterKey() {
    return masterKey;
  }
}
