package io.smlguardian.store.privacy;

import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What an erasure did, for the requester and for the audit trail (the same JSON in both).
 *
 * @param id the receipt's own id
 * @param userId whose data was erased
 * @param erasedBy the privacy officer who asked
 * @param erasedAt when
 * @param erased per collection, how many records were erased
 * @param total how many records were erased in all
 * @param exempt per collection kept, why
 * @param keysDestroyed how many of the user's data keys were destroyed
 */
@JsonbPropertyOrder({
  "id",
  "userId",
  "erasedBy",
  "erasedAt",
  "erased",
  "total",
  "exempt",
  "keysDestroyed"
})
public record ErasureReceipt(
    @JsonbProperty("receiptId") UUID id,
    String userId,
    String erasedBy,
    Instant erasedAt,
    Map<String, Long> erased,
    long total,
    Map<String, String> exempt,
    int keysDestroyed) {

  static ErasureReceipt of(
      UUID id,
      String userId,
      String erasedBy,
      Instant erasedAt,
      Map<String, Long> erased,
      Map<String, String> exempt,
      int keysDestroyed) {
    long total = erased.values().stream().mapToLong(Long::longValue).sum();
    return new ErasureReceipt(id, userId, erasedBy, erasedAt, erased, total, exempt, keysDestroyed);
  }
}
