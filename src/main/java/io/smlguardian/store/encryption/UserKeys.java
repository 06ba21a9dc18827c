package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.security.SecureRandom;
import java.time.Period;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each user's data keys: created on the user's first sealed write, unwrapped on use, destroyed when
 * the user is erased. Kept through the same store as the records, on every backend, but not as a
 * collection of the API: {@link #KEYS} is never registered, so no endpoint, export or retention
 * policy ever sees them.
 *
 * <p>Unwrapped keys are cached by key id (bounded). {@link #destroy} evicts this instance's cache;
 * the keys are gone from the database at once, so no other instance can load them again.
 *
 * <p>A user's current key (the one new data is sealed with) is looked up once per transaction:
 * sealing a batch of one user's records looked it up and unwrapped it once per record (a query and
 * an AES-GCM open each). It is kept with the transaction, never beyond it, so no erasure or restore
 * elsewhere can leave it stale.
 */
@ApplicationScoped
public class UserKeys {

  /**
   * Not subject to retention: a key lives exactly as long as its user's data. Public for backups,
   * which carry the wrapped keys so that restored sealed fields open again.
   */
  public static final CollectionDescriptor<UserKey> KEYS =
      new CollectionDescriptor<>(
          "user_keys",
          UserKey.class,
          DataCategory.SYSTEM_CONFIG,
          Period.ZERO,
          "createdAt",
          List.of());

  private static final int CACHE_SIZE = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecordStore store;
  private SecretKey masterKey;
  private final Map<UUID, SecretKey> unwrapped =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, SecretKey> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  @Resource private TransactionSynchronizationRegistry transactions;

  protected UserKeys() {}

  @Inject
  public UserKeys(RecordStore store, EncryptionConfig config) {
    this.store = store;
    this.masterKey = config.masterKey();
  }

  /** A key and its id, which sealed values carry. */
  record DataKey(UUID id, SecretKey key) {}

  /** The key the user's new data is sealed with: their oldest, created on first use. */
  DataKey current(String userId) {
    boolean inTransaction =
        transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
    String resource = "guardian-current-key/" + userId;
    if (inTransaction && transactions.getResource(resource) instanceof DataKey known) {
      return known;
    }
    List<UserKey> keys = store.find(KEYS, keysOf(userId, 1));
    UserKey key = keys.isEmpty() ? create(userId) : keys.get(0);
    DataKey current = new DataKey(key.getId(), unwrap(key));
    if (inTransaction) {
      transactions.putResource(resource, current);
    }
    return current;
  }

  /**
   * The key a value of the user was sealed with.
   *
   * @throws UnreadableDataException when that key no longer exists (the user was erased)
   */
  SecretKey byId(UUID id, String userId) {
    SecretKey cached = unwrapped.get(id);
    if (cached != null) {
      return cached;
    }
    UserKey key =
        store
            .findById(KEYS, id)
            .filter(k -> k.getUserId().equals(userId))
            .orElseThrow(
                () -> new UnreadableDataException("the data key " + id + " no longer exists"));
    SecretKey clear = unwrap(key);
    unwrapped.put(id, clear);
    return clear;
  }

  /** Destroys every key of the user; returns how many there were. */
  public int destroy(String userId) {
    List<UserKey> keys = store.find(KEYS, keysOf(userId, 1000));
    for (UserKey key : keys) {
      store.delete(KEYS, key);
      unwrapped.remove(key.getId());
    }
    return keys.size();
  }

  /** A reset of the store (memory, when enabled) destroys every key with the records. */
  void storeCleared(@Observes StoreCleared reset) {
    store.deleteMatching(KEYS, List.of());
    unwrapped.clear();
  }

  /** How many keys the user has (none once erased). */
  public int count(String userId) {
    return (int) store.count(KEYS, keysOf(userId, 1).filters());
  }

  private UserKey create(String userId) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String wrapped =
        Base64.getEncoder().encodeToString(Aead.seal(masterKey, key, wrapContext(userId)));
    UserKey created = new UserKey(userId, wrapped);
    store.insert(KEYS, List.of(created));
    return created;
  }

  private SecretKey unwrap(UserKey key) {
    byte[] clear =
        Aead.open(
            masterKey, Base64.getDecoder().decode(key.wrappedKey()), wrapContext(key.getUserId()));
    return new SecretKeySpec(clear, "AES");
  }

  /** Binds a wrapped key to its user: it cannot be passed off as another user's key. */
  private static String wrapContext(String userId) {
    return "user-key/" + userId;
  }

  private static RecordQuery keysOf(String userId, int limit) {
    return new RecordQuery(
        List.of(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId))),
        List.of(SortOrder.asc("createdAt")),
        limit,
        0,
        List.of());
  }
}
