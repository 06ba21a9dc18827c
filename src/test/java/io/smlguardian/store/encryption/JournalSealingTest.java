package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.memory.Memories;
import jakarta.json.Json;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ingest journal's sealing: under a key derived from the master key, bound to its place, naming
 * its master key so that it opens after a master key rotation while the previous key is configured.
 */
class JournalSealingTest {

  private static final String MASTER = key(1);
  private static final String NEXT = key(2);
  private static final JsonValue CLEAR =
      Json.createObjectBuilder().add("feeling", "lonely").build();

  @Test
  void aSealedValueOpensOnlyInItsPlaceAndHidesItsContent() {
    JournalSealing sealing = new JournalSealing(AeadTest.config(Map.of(MASTER_VAR, MASTER)));
    FieldProtection.Sealer sealer = sealing.sealer(Memories.COLLECTION, "alice");
    JsonValue sealed = sealer.seal("patterns", CLEAR);

    assertThat(JournalSealing.isSealed(sealed)).isTrue();
    assertThat(((JsonString) sealed).getString()).doesNotContain("lonely");
    assertThat(sealing.open(Memories.COLLECTION, "alice", "patterns", sealed)).isEqualTo(CLEAR);
    assertThatThrownBy(() -> sealing.open(Memories.COLLECTION, "bob", "patterns", sealed))
        .isInstanceOf(UnreadableDataException.class);
    assertThatThrownBy(() -> sealing.open(Memories.COLLECTION, "alice", "emotions", sealed))
        .isInstanceOf(UnreadableDataException.class);
    // a value it did not seal passes as it is (the store's own, or an entry of an older journal)
    JsonValue other = Json.createValue("gse1:somewhere");
    assertThat(sealing.open(Memories.COLLECTION, "alice", "patterns", other)).isSameAs(other);
  }

  @Test
  void itOpensAfterAMasterKeyRotationWhileThePreviousKeyIsConfigured() {
    JsonValue sealed =
        new JournalSealing(AeadTest.config(Map.of(MASTER_VAR, MASTER)))
            .sealer(Memories.COLLECTION, "alice")
            .seal("patterns", CLEAR);

    JournalSealing rotated =
        new JournalSealing(
            AeadTest.config(Map.of(MASTER_VAR, NEXT, "ENCRYPTION_PREVIOUS_MASTER_KEYS", MASTER)));
    assertThat(rotated.open(Memories.COLLECTION, "alice", "patterns", sealed)).isEqualTo(CLEAR);

    JournalSealing forgotten = new JournalSealing(AeadTest.config(Map.of(MASTER_VAR, NEXT)));
    assertThatThrownBy(() -> forgotten.open(Memories.COLLECTION, "alice", "patterns", sealed))
        .isInstanceOf(UnreadableDataException.class)
        .hasMessageContaining("not configured");
  }

  @Test
  void itsKeyIsNotTheMasterKeyItself() {
    JournalSealing sealing = new JournalSealing(AeadTest.config(Map.of(MASTER_VAR, MASTER)));
    String value =
        ((JsonString) sealing.sealer(Memories.COLLECTION, "alice").seal("patterns", CLEAR))
            .getString();
    byte[] sealed = Base64.getDecoder().decode(value.substring(value.lastIndexOf(':') + 1));
    assertThatThrownBy(
            () ->
                Aead.open(
                    EncryptionConfig.parseMasterKey(MASTER),
                    sealed,
                    "ingest-journal/memories/patterns/alice"))
        .isInstanceOf(UnreadableDataException.class);
  }

  private static final String MASTER_VAR = "ENCRYPTION_MASTER_KEY";

  private static String key(int fill) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) fill);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
