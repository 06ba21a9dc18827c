package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.privacy.Erasures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The erasure ledger file of older versions, as its one import reads it. */
class ErasureLedgerTest {

  @TempDir Path directory;

  @Test
  void readsEveryWholeLineAndSkipsATornOne() throws Exception {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    Path file = directory.resolve(ErasureLedger.FILE);
    Files.writeString(
        file,
        "{\"userId\":\"u1\",\"erasedAt\":\"2026-11-01T10:00:00.123456Z\",\"receiptId\":\""
            + first
            + "\"}\n\n"
            + "{\"userId\":\"u2\",\"erasedAt\":\"2026-11-02T10:00:00Z\",\"receiptId\":\""
            + second
            + "\"}\n"
            + "{\"userId\":\"u3\",\"erasedAt\":\"2026-11-0"); // torn by a crash

    List<Erasures.Known> known = ErasureLedger.read(file);

    assertThat(known)
        .containsExactly(
            new Erasures.Known(
                first, "u1", Instant.parse("2026-11-01T10:00:00.123456Z"), ErasureLedger.FILE),
            new Erasures.Known(
                second, "u2", Instant.parse("2026-11-02T10:00:00Z"), ErasureLedger.FILE));
  }

  @Test
  void aLineWithoutAReadableReceiptIdKeepsItsErasureUnderAnIdDerivedFromIt() throws Exception {
    Path file = directory.resolve(ErasureLedger.FILE);
    Files.writeString(
        file, "{\"userId\":\"u1\",\"erasedAt\":\"2026-11-01T10:00:00Z\",\"receiptId\":\"x\"}\n");

    List<Erasures.Known> once = ErasureLedger.read(file);
    List<Erasures.Known> again = ErasureLedger.read(file);

    assertThat(once).hasSize(1).isEqualTo(again);
    assertThat(once.get(0).userId()).isEqualTo("u1");
    assertThat(once.get(0).erasedAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
  }
}
