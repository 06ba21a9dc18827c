package io.smlguardian.store.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Development and test keys and tokens: an RSA key pair for the server to verify tokens with, a
 * master key for encryption at rest, and RS256-signed MicroProfile JWTs for any role. Plain JDK, so
 * it also runs as a single-file program:
 *
 * <pre>
 * java src/test/java/io/smlguardian/store/testsupport/Tokens.java keypair target/dev-keys
 * java src/test/java/io/smlguardian/store/testsupport/Tokens.java mint operator alice
 * </pre>
 *
 * The private key never leaves {@code target/} (ignored by git); a production deployment uses the
 * public key of its own identity provider.
 */
public final class Tokens {

  public static final String ISSUER = "guardian-store-dev";
  public static final String AUDIENCE = "guardian-store";
  public static final Path DEFAULT_KEYS = Path.of("target", "dev-keys");

  private Tokens() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("keypair")) {
      Path dir = Path.of(args[1]);
      if (Files.exists(dir.resolve("private.pem"))) {
        System.out.println("[dev-keys] keeping the key pair in " + dir);
      } else {
        writeKeyPair(dir);
        System.out.println("[dev-keys] new key pair in " + dir);
      }
      writeBackupKey(dir);
      writeAuditKey(dir);
    } else if (args.length >= 3 && args[0].equals("mint")) {
      Path dir = args.length > 3 ? Path.of(args[3]) : DEFAULT_KEYS;
      List<String> roles = List.of(args[1].split(","));
      System.out.println(
          mint(readPrivateKey(dir), ISSUER, AUDIENCE, args[2], roles, Duration.ofHours(8)));
    } else {
      System.err.println(
          "usage: Tokens keypair <dir>\n"
              + "       Tokens mint <role>[,<role>...] <subject> [<key dir, default target/dev-keys>]\n"
              + "roles: user, service, privacy-officer, auditor, operator");
      System.exit(2);
    }
  }

  /** Writes private.pem (PKCS#8) and public.pem (X.509 SubjectPublicKeyInfo). */
  public static void writeKeyPair(Path dir) throws GeneralSecurityException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    // The development master key that wraps users' data keys (ENCRYPTION_MASTER_KEY_FILE).
    byte[] master = new byte[32];
    new java.security.SecureRandom().nextBytes(master);
    Files.writeString(dir.resolve("master.key"), Base64.getEncoder().encodeToString(master));
  }

  /**
   * The development key of the audit ledger's MACs (AUDIT_KEY_FILE), kept once written: a new one
   * would leave the ledger already sealed unverifiable. Written apart from the key pair, so that a
   * key directory from before the ledger gets one too.
   */
  public static void writeAuditKey(Path dir) throws IOException {
    Path file = dir.resolve("audit.key");
    if (Files.exists(file)) {
      return;
    }
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Files.createDirectories(dir);
    Files.writeString(file, Base64.getEncoder().encodeToString(key));
  }

  /**
   * The development key that encrypts backups on the build's memory server
   * (BACKUP_ENCRYPTION_KEY_FILE); the other servers have none, so they cannot open its backups.
   * Kept once written.
   */
  public static void writeBackupKey(Path dir) throws IOException {
    Path file = dir.resolve("backup.key");
    if (Files.exists(file)) {
      return;
    }
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Files.createDirectories(dir);
    Files.writeString(file, Base64.getEncoder().encodeToString(key));
  }

  public static PrivateKey readPrivateKey(Path dir) throws GeneralSecurityException, IOException {
    String pem = Files.readString(dir.resolve("private.pem"));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  /** A signed token whose {@code groups} claim carries the roles. */
  public static String mint(
      PrivateKey key,
      String issuer,
      String audience,
      String subject,
      List<String> roles,
      Duration lifetime) {
    Instant now = Instant.now();
    return mint(key, issuer, audience, subject, roles, now, now.plus(lifetime));
  }

  public static String mint(
      PrivateKey key,
      String issuer,
      String audience,
      String subject,
      List<String> roles,
      Instant issuedAt,
      Instant expires) {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String groups =
        roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(",", "[", "]"));
    String claims =
        "{\"iss\":\""
            + issuer
            + "\",\"aud\":\""
            + audience
            + "\",\"sub\":\""
            + subject
            + "\",\"upn\":\""
            + subject
            + "\",\"groups\":"
            + groups
            + ",\"iat\":"
            + issuedAt.getEpochSecond()
            + ",\"exp\":"
            + expires.getEpochSecond()
            + ",\"jti\":\""
            + UUID.randomUUID()
            + "\"}";
    String signingInput = base64Url(header) + "." + base64Url(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
