package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;

/**
 * A user's data key, wrapped (encrypted) by a key-encryption key (see {@link UserKeyService} for
 * the format): the only form in which it is ever stored. Destroying it makes every copy of that
 * user's sealed fields unreadable, archives included (they never hold keys). A user may have more
 * than one (two first writes racing each create one); sealed values name the key they were sealed
 * with. Only its wrapping changes, when a rotation re-wraps it under a newer key-encryption key.
 */
@Entity
@Table(name = "user_keys")
public class UserKey extends OwnedRecord {

  @NotBlank
  @Column(name = "wrapped_key", nullable = false, length = 200)
  private String wrappedKey;

  protected UserKey() {}

  UserKey(String userId, String wrappedKey) {
    super(userId);
    this.wrappedKey = wrappedKey;
  }

  /** A key imported from an escrow keeps its id: sealed values name it. */
  UserKey(java.util.UUID id, String userId, String wrappedKey) {
    super(id, userId);
    this.wrappedKey = wrappedKey;
  }

  /** The same key, wrapped anew (a rotation). */
  void rewrap(String wrappedKey) {
    if (wrappedKey == null || wrappedKey.isBlank()) {
      throw new IllegalArgumentException("a wrapped key is needed");
    }
    this.wrappedKey = wrappedKey;
  }

  String wrappedKey() {
    return wrappedKey;
  }
}
