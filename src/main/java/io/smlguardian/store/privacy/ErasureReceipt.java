package io.smlguardian.store.privacy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What an erasure did, for the requester and for the audit trail.
 *
 * @param id the receipt's own id
 * @param userId whose data was erased
 * @param erasedBy the privacy officer who asked
 * @param erasedAt when
 * @param erased per collection, how many records were erased
 * @param exempt per collection kept, why
 * @param keysDestroyed how many of the user's data keys were destroyed
 */
public record ErasureReceipt(
    UUID id,
    String userId,
    String erasedBy,
    Instant erasedAt,
    Map<String, Long> erased,
    Map<String, String> exempt,
    int keysDestroyed) {

  public long total() {
    return erased.values().stream().mapToLong(Long::longValue).sum();
  }

  public JsonObject toJson() {
    JsonObjectBuilder counts = Json.createObjectBuilder();
    erased.forEach(counts::add);
    JsonObjectBuilder kept = Json.createObjectBuilder();
    exempt.forEach(kept::add);
    return Json.createObjectBuilder()
        .add("receiptId", id.toString())
        .add("userId", userId)
        .add("erasedBy", erasedBy)
        .add("erasedAt", erasedAt.toString())
        .add("erased", counts)
        .add("total", total())
        .add("exempt", kept)
        .add("keysDestroyed", keysDestroyed)
        .build();
  }
}
