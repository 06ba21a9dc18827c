package io.smlguardian.store.collection;

import java.io.Serializable;

/**
 * A stretch of a collection's time order: the records after {@code after} (from the first when
 * null) up to and including {@code upTo} (to the last when null). A bulk job cuts a collection into
 * such ranges with {@link BulkStore#timeKeyAt} and deletes one range per statement. A bounded range
 * leaves out records without a time; {@link #ALL} restricts nothing.
 *
 * @param after the key before the range, or null
 * @param upTo the range's last key, or null
 */
public record TimeKeyRange(TimeKey after, TimeKey upTo) implements Serializable {

  /** Every record, those without a time included. */
  public static final TimeKeyRange ALL = new TimeKeyRange(null, null);

  /** The records after the given key (all of them when it is null). */
  public static TimeKeyRange after(TimeKey key) {
    return new TimeKeyRange(key, null);
  }

  public boolean bounded() {
    return after != null || upTo != null;
  }
}
