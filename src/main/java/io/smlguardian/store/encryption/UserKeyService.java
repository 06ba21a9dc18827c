package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.collection.TimeKey;
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
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each user's data keys: created on the user's first sealed write, unwrapped on use, destroyed when
 * the user is erased. Kept through the same store as the records, on every backend, but not as a
 * collection of the API: {@link #KEYS} is never registered, so no endpoint, export, retention
 * policy or backup archive ever sees them.
 *
 * <p>A data key is stored wrapped by a key-encryption key ({@link KeyEncryptionKeys}, kept apart
 * from the database), as {@code gsk2:<KEK id>:<base64 nonce+ciphertext>}. Rows written before
 * key-encryption keys existed hold the bare base64 of the data key wrapped by the master key
 * itself: they still open (with any configured master key), and the next rotation moves them under
 * a KEK.
 *
 * <p>Unwrapped keys are cached by key id, at most {@value #CACHE_SIZE} of them and each for at most
 * {@code KEY_CACHE_TTL}: an erasure on another instance (which deletes the keys from the database)
 * is honoured here within that time. {@link #destroy} evicts this instance's cache at once.
 *
 * <p>A user's current key (the one new data is sealed with) is looked up once per transaction:
 * sealing a batch of one user's records looked it up and unwrapped it once per record (a query and
 * an AES-GCM open each). The current keys of a request's several users are looked up in one query.
 * Beyond the transaction, a current key is kept for {@code KEY_CACHE_TTL} too, but used again only
 * once it is found still stored, by one read of the ids of all the keys a transaction takes from
 * there: the look-up by owner, oldest first, cost a single sealed insert more than its record's own
 * insert (docs/benchmarks.md), and a key an erasure on another instance destroyed meanwhile must
 * not seal new data, which nothing could open. Such a key is dropped and the user's current key
 * looked up again (a new one, after an erasure).
 */
@ApplicationScoped
public class UserKeyService {

  /** Not subject to retention: a key lives exactly as long as its user's data. */
  public static final CollectionDescriptor<UserKey> KEYS =
      new CollectionDescriptor<>(
          "user_keys",
          UserKey.class,
          DataCategory.SYSTEM_CONFIG,
          Period.ZERO,
          "createdAt",
          List.of());

  /** The version prefix of a data key wrapped by a key-encryption key. */
  static final String WRAPPED_BY_KEK = "gsk2:";

  static final int CACHE_SIZE = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecordStore store;
  private EncryptionConfig config;
  private KeyEncryptionKeys keks;
  private final Map<UUID, Cached> unwrapped =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Cached> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  /** Current keys by user, kept beyond their transaction: used again once found still stored. */
  private final Map<String, Current> currentKeys =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Current> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  @Resource private TransactionSynchronizationRegistry transactions;
  @Inject private KeyRows keyRows;

  protected UserKeyService() {}

  @Inject
  public UserKeyService(RecordStore store, EncryptionConfig config, KeyEncryptionKeys keks) {
    this.store = store;
    this.config = config;
    this.keks = keks;
  }

  /** A key and its id, which sealed values carry. */
  record DataKey(UUID id, SecretKey key) {}

  private record Cached(String userId, SecretKey key, long expiresAt) {}

  private record Current(DataKey key, long expiresAt) {}

  /** The key the user's new data is sealed with: their oldest, created on first use. */
  DataKey current(String userId) {
    return current(Set.of(userId)).get(userId);
  }

  /**
   * The keys several users' new data is sealed with, each their oldest, created on first use: one
   * query for them all (a request of 100 users' records looked their keys up one query at a time).
   */
  Map<String, DataKey> current(Set<String> userIds) {
    boolean inTransaction =
        transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
    Map<String, DataKey> current = new HashMap<>();
    Map<String, DataKey> keptKeys = new HashMap<>();
    Set<String> unknown = new TreeSet<>();
    long now = System.nanoTime();
    for (String userId : userIds) {
      if (inTransaction && transactions.getResource(resource(userId)) instanceof DataKey known) {
        current.put(userId, known);
      } else {
        DataKey kept = kept(userId, now);
        if (kept != null) {
          keptKeys.put(userId, kept);
        } else {
          unknown.add(userId);
        }
      }
    }
    if (!keptKeys.isEmpty()) {
      Set<UUID> stored =
          store.stamps(KEYS, keptKeys.values().stream().map(DataKey::id).toList()).keySet();
      keptKeys.forEach(
          (userId, key) -> {
            if (stored.contains(key.id())) {
              current.put(userId, key);
              if (inTransaction) {
                transactions.putResource(resource(userId), key);
              }
            } else { // destroyed meanwhile, by an erasure on another instance
              forgetCurrent(userId);
              unknown.add(userId);
            }
          });
    }
    if (unknown.isEmpty()) {
      return current;
    }
    Map<String, UserKey> rows =
        keyRows == null // outside a container (unit tests): in the caller's store as it is
            ? KeyRows.oldestOrNew(store, unknown, this::newKey)
            : keyRows.oldestOrNew(unknown, this::newKey);
    rows.forEach(
        (userId, row) -> {
          DataKey key = new DataKey(row.getId(), unwrap(row));
          // Kept as byId keeps what it reads: the answer that shows the record opens its fields
          // with this key next, and would otherwise read and unwrap it again.
          remember(row.getId(), userId, key.key(), now);
          synchronized (unwrapped) {
            currentKeys.put(userId, new Current(key, now + config.cacheTtl().toNanos()));
          }
          current.put(userId, key);
          if (inTransaction) {
            transactions.putResource(resource(userId), key);
          }
        });
    return current;
  }

  /** The user's current key kept from an earlier look-up, unless it expired (then forgotten). */
  private DataKey kept(String userId, long now) {
    synchronized (unwrapped) {
      Current kept = currentKeys.get(userId);
      if (kept == null) {
        return null;
      }
      if (now - kept.expiresAt() >= 0) {
        currentKeys.remove(userId);
        return null;
      }
      return kept.key();
    }
  }

  private void forgetCurrent(String userId) {
    synchronized (unwrapped) {
      currentKeys.remove(userId);
    }
  }

  /** Where a transaction keeps a user's current key. */
  private static String resource(String userId) {
    return "guardian-current-key/" + userId;
  }

  /**
   * The key a value of the user was sealed with.
   *
   * @throws UnreadableDataException when that key no longer exists (the user was erased) or its
   *     key-encryption key was destroyed
   */
  SecretKey byId(UUID id, String userId) {
    long now = System.nanoTime();
    synchronized (unwrapped) {
      Cached cached = unwrapped.get(id);
      if (cached != null && cached.userId().equals(userId) && now - cached.expiresAt() < 0) {
        return cached.key();
      }
    }
    UserKey key =
        store
            .findById(KEYS, id)
            .filter(k -> k.getUserId().equals(userId))
            .orElseThrow(
                () -> new UnreadableDataException("the data key " + id + " no longer exists"));
    SecretKey clear = unwrap(key);
    remember(id, userId, clear, now);
    return clear;
  }

  /** Keeps an unwrapped key for {@code KEY_CACHE_TTL} from {@code now} (a nanoTime). */
  private void remember(UUID id, String userId, SecretKey clear, long now) {
    synchronized (unwrapped) {
      unwrapped.put(id, new Cached(userId, clear, now + config.cacheTtl().toNanos()));
    }
  }

  /**
   * Destroys every key of the user, however many, in one statement within the caller's transaction;
   * returns how many there were.
   */
  public int destroy(String userId) {
    long destroyed = store.deleteMatching(KEYS, ownedBy(userId));
    synchronized (unwrapped) {
      unwrapped.values().removeIf(cached -> cached.userId().equals(userId));
      currentKeys.remove(userId);
    }
    return (int) destroyed;
  }

  /** A reset of the store (memory, when enabled) destroys every key with the records. */
  void storeCleared(@Observes StoreCleared reset) {
    store.deleteMatching(KEYS, List.of());
    synchronized (unwrapped) {
      unwrapped.clear();
      currentKeys.clear();
    }
  }

  /** How long an unwrapped key is kept at most ({@code KEY_CACHE_TTL}). */
  java.time.Duration cacheTtl() {
    return config.cacheTtl();
  }

  /** How many keys the user has (none once erased). */
  public int count(String userId) {
    return (int) store.count(KEYS, ownedBy(userId));
  }

  /** What one page of a rotation's re-wrap did. */
  public record RewrapPage(int read, int rewrapped, Map<String, Long> wrappedBy, TimeKey last) {}

  /**
   * Re-wraps one page of data keys (newest first, after {@code after}) under the current
   * key-encryption key, in one transaction; counts, per KEK id ({@code master} for the legacy
   * format), what wraps them afterwards. A key no configured key opens is left as it is.
   */
  @Transactional
  public RewrapPage rewrapPage(TimeKey after, int size) {
    KeyEncryptionKeys.Kek current = keks.current();
    String prefix = WRAPPED_BY_KEK + current.id() + ":";
    List<UserKey> page =
        store.find(KEYS, new RecordQuery(List.of(), List.of(), size, 0, List.of(), after));
    int rewrapped = 0;
    Map<String, Long> wrappedBy = new LinkedHashMap<>();
    for (UserKey key : page) {
      if (!key.wrappedKey().startsWith(prefix)) {
        Optional<SecretKey> clear = tryUnwrap(key);
        if (clear.isPresent()) {
          key.rewrap(wrap(current, clear.get(), key.getUserId()));
          store.update(KEYS, key);
          rewrapped++;
        }
      }
      wrappedBy.merge(wrapperOf(key.wrappedKey()), 1L, Long::sum);
    }
    UserKey last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new RewrapPage(
        page.size(),
        rewrapped,
        wrappedBy,
        last == null ? null : new TimeKey(last.getCreatedAt(), last.getId()));
  }

  /** What wraps a stored data key: its KEK's id, or {@code master} (the legacy format). */
  static String wrapperOf(String wrapped) {
    if (wrapped.startsWith(WRAPPED_BY_KEK)) {
      int colon = wrapped.indexOf(':', WRAPPED_BY_KEK.length());
      return colon < 0 ? "malformed" : wrapped.substring(WRAPPED_BY_KEK.length(), colon);
    }
    return "master";
  }

  /**
   * Every data key in its stored (wrapped) form, a page at a time (newest first), for an escrow.
   */
  @Transactional
  public List<UserKey> page(TimeKey after, int size) {
    return store.find(KEYS, new RecordQuery(List.of(), List.of(), size, 0, List.of(), after));
  }

  /** A data key from an escrow, in clear. */
  public record Imported(UUID id, String userId, SecretKey key) {}

  /**
   * Stores the keys the database lacks (by id), wrapped by the current key-encryption key and
   * keeping their ids, in one transaction; returns how many were added.
   */
  @Transactional
  public long importMissing(List<Imported> imported) {
    KeyEncryptionKeys.Kek current = keks.current();
    List<UserKey> missing = new ArrayList<>();
    for (Imported key : imported) {
      if (store.findById(KEYS, key.id()).isEmpty()) {
        missing.add(new UserKey(key.id(), key.userId(), wrap(current, key.key(), key.userId())));
      }
    }
    if (!missing.isEmpty()) {
      store.insert(KEYS, missing);
    }
    return missing.size();
  }

  UserKey newKey(String userId) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new UserKey(userId, wrap(keks.current(), new SecretKeySpec(key, "AES"), userId));
  }

  /**
   * A user's oldest key row, or a first one stored, in the caller's transaction or, outside one, in
   * a short transaction of its own: a single insert seals its record before it joins the audit
   * trail's shared commit, and holds no connection meanwhile (SQLite's pool has one, which the
   * shared commit needs). A key committed without the record it was made for (that commit failed)
   * is one more key of the user, as two first writes at once make: the oldest is current, and an
   * erasure destroys them all.
   */
  @ApplicationScoped
  public static class KeyRows {

    @Inject private RecordStore store;

    @Transactional
    public Map<String, UserKey> oldestOrNew(
        Set<String> userIds, Function<String, UserKey> created) {
      return oldestOrNew(store, userIds, created);
    }

    /** Each user's oldest key row, in one query for all, and first ones stored for the others. */
    static Map<String, UserKey> oldestOrNew(
        RecordStore store, Set<String> userIds, Function<String, UserKey> created) {
      Map<String, UserKey> oldest = new HashMap<>();
      // Oldest first: a user's first row is their oldest. A user has one key, or a few after first
      // writes at once: the page has room for four each.
      int limit = userIds.size() * 4;
      List<UserKey> rows =
          store.find(
              KEYS,
              new RecordQuery(
                  List.of(
                      new Filter(
                          OwnedRecord.OWNER_FIELD, FilterOperator.IN, false, List.copyOf(userIds))),
                  List.of(SortOrder.asc("createdAt")),
                  limit,
                  0,
                  List.of()));
      rows.forEach(row -> oldest.putIfAbsent(row.getUserId(), row));
      List<UserKey> stored = new ArrayList<>();
      for (String userId : userIds) {
        if (!oldest.containsKey(userId)) {
          // A full page may have left out the rows of a user whose keys are all younger.
          List<UserKey> own = rows.size() < limit ? List.of() : store.find(KEYS, keysOf(userId, 1));
          if (own.isEmpty()) {
            UserKey key = created.apply(userId);
            stored.add(key);
            oldest.put(userId, key);
          } else {
            oldest.put(userId, own.get(0));
          }
        }
      }
      if (!stored.isEmpty()) {
        store.insert(KEYS, stored);
      }
      return oldest;
    }
  }

  static String wrap(KeyEncryptionKeys.Kek kek, SecretKey key, String userId) {
    return WRAPPED_BY_KEK
        + kek.id()
        + ":"
        + Base64.getEncoder()
            .encodeToString(Aead.seal(kek.key(), key.getEncoded(), wrapContext(userId)));
  }

  /**
   * @throws UnreadableDataException when no key this server holds opens it
   */
  SecretKey unwrap(UserKey key) {
    return tryUnwrap(key)
        .orElseThrow(
            () ->
                new UnreadableDataException(
                    "the key that wrapped data key " + key.getId() + " no longer exists"));
  }

  private Optional<SecretKey> tryUnwrap(UserKey key) {
    String wrapped = key.wrappedKey();
    String context = wrapContext(key.getUserId());
    if (wrapped.startsWith(WRAPPED_BY_KEK)) {
      int colon = wrapped.indexOf(':', WRAPPED_BY_KEK.length());
      UUID kekId;
      byte[] sealed;
      try {
        kekId = UUID.fromString(wrapped.substring(WRAPPED_BY_KEK.length(), colon));
        sealed = Base64.getDecoder().decode(wrapped.substring(colon + 1));
      } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
        return Optional.empty();
      }
      return keks.byId(kekId).map(kek -> new SecretKeySpec(Aead.open(kek, sealed, context), "AES"));
    }
    // The legacy format: wrapped by a master key directly, with no id to say which.
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(wrapped);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
    List<EncryptionConfig.MasterKey> masters = new ArrayList<>(config.masterKeys());
    for (EncryptionConfig.MasterKey master : masters) {
      try {
        return Optional.of(new SecretKeySpec(Aead.open(master.key(), sealed, context), "AES"));
      } catch (UnreadableDataException notThisOne) {
        // try the next
      }
    }
    return Optional.empty();
  }

  /** Binds a wrapped key to its user: it cannot be passed off as another user's key. */
  static String wrapContext(String userId) {
    return "user-key/" + userId;
  }

  private static List<Filter> ownedBy(String userId) {
    return List.of(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId)));
  }

  static RecordQuery keysOf(String userId, int limit) {
    return new RecordQuery(
        ownedBy(userId), List.of(SortOrder.asc("createdAt")), limit, 0, List.of());
  }
}
