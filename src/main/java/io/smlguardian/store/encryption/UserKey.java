package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;

/**
 * A user's data key, wrapped (encrypted) with the master key: the only form in which it is ever
 * stored. Destroying it makes every copy of that user's sealed fields unreadable, backups included.
 * A user may have more than one (two first writes racing each create one); sealed values name the
 * key they were sealed with.
 */
@Entity
@Table(name = "user_keys")
public class UserKey extends OwnedRecord {

  @NotBlank
  @Column(name = "wrapped_key", nullable = false, updatable = false, length = 200)
  private String wrappedKey;

  protected UserKey() {}

  UserKey(String userId, String wrappedKey) {
    super(userId);
    this.wrappedKey = wrappedKey;
  }

  String wrappedKey() {
    return wrappedKey;
  }
}
