package io.smlguardian.store.collection;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * How much space a collection takes in its backend, as the backend itself reports it, or why it
 * cannot say.
 *
 * @param bytes the size in bytes (data and indexes where the backend counts them), or null
 * @param measure what the figure is, e.g. {@code pg_total_relation_size}, or why there is none
 */
@JsonbNillable // an unknown size is written as null, beside its reason
@JsonbPropertyOrder({"measure", "bytes"})
public record StorageSize(Long bytes, String measure) {

  public static StorageSize of(long bytes, String measure) {
    return new StorageSize(bytes, measure);
  }

  /** No figure, with the reason. */
  public static StorageSize unknown(String why) {
    return new StorageSize(null, why);
  }

  public boolean known() {
    return bytes != null;
  }
}
