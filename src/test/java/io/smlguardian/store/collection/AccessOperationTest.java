package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wire names are stored in the audit trail and covered by the ledger's MACs: pinned here, so
 * that renaming a constant can never change what is stored.
 */
class AccessOperationTest {

  private static final Map<AccessOperation, String> STORED =
      Map.ofEntries(
          Map.entry(AccessOperation.READ, "read"),
          Map.entry(AccessOperation.QUERY, "query"),
          Map.entry(AccessOperation.COUNT, "count"),
          Map.entry(AccessOperation.INSERT, "insert"),
          Map.entry(AccessOperation.UPDATE, "update"),
          Map.entry(AccessOperation.DELETE, "delete"),
          Map.entry(AccessOperation.INGEST, "ingest"),
          Map.entry(AccessOperation.INGEST_FLUSH, "ingest-flush"),
          Map.entry(AccessOperation.INGEST_DEAD_LETTER, "ingest-dead-letter"),
          Map.entry(AccessOperation.INGEST_DEAD_LETTER_RETRY, "ingest-dead-letter-retry"),
          Map.entry(AccessOperation.INGEST_DEAD_LETTER_DISCARD, "ingest-dead-letter-discard"),
          Map.entry(AccessOperation.VERIFY, "verify"),
          Map.entry(AccessOperation.SEAL, "seal"),
          Map.entry(AccessOperation.RESET, "reset"),
          Map.entry(AccessOperation.ERASE, "erase"),
          Map.entry(AccessOperation.HOLD_PLACED, "hold placed"),
          Map.entry(AccessOperation.HOLD_RELEASED, "hold released"),
          Map.entry(AccessOperation.KEY_ROTATION, "key rotation"),
          Map.entry(
              AccessOperation.UNAUTHENTICATED_IN_AGGREGATE,
              "requests without a valid token, in aggregate"));

  @ParameterizedTest
  @EnumSource(AccessOperation.class)
  void everyConstantKeepsTheNameStoredInTheTrail(AccessOperation operation) {
    assertThat(operation.wireName()).isEqualTo(STORED.get(operation));
    assertThat(operation).hasToString(operation.wireName());
  }

  @Test
  void wireNamesAreUnique() {
    assertThat(Arrays.stream(AccessOperation.values()).map(AccessOperation::wireName))
        .doesNotHaveDuplicates();
  }

  @Test
  void noWireNameLooksLikeAnHttpRequest() {
    // A refusal's operation is the method and path; a fixed name must not be mistaken for one.
    assertThat(AccessOperation.values())
        .allSatisfy(
            o -> assertThat(o.wireName()).doesNotMatch("(GET|POST|PUT|PATCH|DELETE|HEAD) .*"));
  }
}
