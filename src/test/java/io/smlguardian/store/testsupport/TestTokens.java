package io.smlguardian.store.testsupport;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

/**
 * Tokens signed with the development key pair the build generated for the server under test
 * (directory from the {@code guardian.devKeys} system property that failsafe sets).
 */
public final class TestTokens {

  private static PrivateKey key;

  private TestTokens() {}

  /** A valid token for the subject with the given roles. */
  public static String token(String subject, String... roles) {
    return Tokens.mint(
        key(), Tokens.ISSUER, Tokens.AUDIENCE, subject, List.of(roles), Duration.ofHours(1));
  }

  /** The private key the server trusts. */
  public static synchronized PrivateKey key() {
    if (key == null) {
      try {
        key =
            Tokens.readPrivateKey(
                Path.of(System.getProperty("guardian.devKeys", "target/dev-keys")));
      } catch (GeneralSecurityException | java.io.IOException e) {
        throw new IllegalStateException("no development key pair; did the build generate it?", e);
      }
    }
    return key;
  }
}
