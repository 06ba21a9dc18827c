package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Keys derived from the audit key: HKDF-SHA256 as RFC 5869 defines it, one key per purpose. */
class AuditKeyTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hkdfGivesTheOutputOfRfc5869sTestCases() {
    byte[] inputKey = new byte[22];
    Arrays.fill(inputKey, (byte) 0x0b);

    // Test case 1: with salt and info.
    assertThat(
            HEX.formatHex(
                AuditKey.hkdfSha256(
                    inputKey,
                    HEX.parseHex("000102030405060708090a0b0c"),
                    HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"),
                    42)))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    // Test case 3: no salt, no info.
    assertThat(HEX.formatHex(AuditKey.hkdfSha256(inputKey, new byte[0], new byte[0], 42)))
        .isEqualTo(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void eachPurposeGetsItsOwnKeyAndNoneIsTheAuditKey() {
    byte[] raw = new byte[32];
    Arrays.fill(raw, (byte) 7);
    AuditKey key = new AuditKey(Base64.getEncoder().encodeToString(raw));

    byte[] archives = key.derive("guardian-store-backup/archive-mac").getEncoded();
    byte[] other = key.derive("another purpose").getEncoded();

    assertThat(archives).hasSize(32).isNotEqualTo(other).isNotEqualTo(raw);
    assertThat(key.derive("guardian-store-backup/archive-mac").getEncoded()).isEqualTo(archives);
  }
}
