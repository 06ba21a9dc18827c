package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Sealing opens only with the same key and the same place; the master key is checked at start. */
class AeadTest {

  private static final SecretKey KEY = new SecretKeySpec(new byte[32], "AES");
  private static final byte[] CLEAR = "{\"feeling\":\"lonely\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealedDataOpensWithTheSameKeyAndPlace() {
    byte[] sealed = Aead.seal(KEY, CLEAR, "memories/patterns/alice");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("lonely");
    assertThat(Aead.open(KEY, sealed, "memories/patterns/alice")).isEqualTo(CLEAR);
  }

  @Test
  void everySealingIsDifferent() {
    assertThat(Aead.seal(KEY, CLEAR, "x")).isNotEqualTo(Aead.seal(KEY, CLEAR, "x"));
  }

  @Test
  void anotherKeyAnotherPlaceOrOneAlteredByteCannotOpenIt() {
    byte[] sealed = Aead.seal(KEY, CLEAR, "memories/patterns/alice");
    SecretKey other =
        new SecretKeySpec(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
              25, 26, 27, 28, 29, 30, 31, 32
            },
            "AES");

    assertThatThrownBy(() -> Aead.open(other, sealed, "memories/patterns/alice"))
        .isInstanceOf(UnreadableDataException.class);
    assertThatThrownBy(() -> Aead.open(KEY, sealed, "memories/patterns/bob"))
        .isInstanceOf(UnreadableDataException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> Aead.open(KEY, sealed, "memories/patterns/alice"))
        .isInstanceOf(UnreadableDataException.class);
  }

  @Test
  void theMasterKeyMustBe32Base64BytesAndPresent() {
    String good = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(config(Map.of("ENCRYPTION_MASTER_KEY", good)).masterKey().key().getEncoded())
        .hasSize(32);
    assertThatThrownBy(() -> config(Map.of())).hasMessageContaining("No master key");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "ENCRYPTION_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[16]))))
        .hasMessageContaining("must be 32 bytes");
    assertThatThrownBy(() -> config(Map.of("ENCRYPTION_MASTER_KEY", "%%%")))
        .hasMessageContaining("not base64");
  }

  static EncryptionConfig config(Map<String, String> settings) {
    return new EncryptionConfig(name -> Optional.ofNullable(settings.get(name)));
  }
}
