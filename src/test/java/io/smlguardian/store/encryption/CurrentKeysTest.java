package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.mongo.MongoRecordStore;
import io.smlguardian.store.testsupport.InProcessMongo;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys several users' new data is sealed with, looked up together (a request of many users'
 * records): each user's oldest key, one query for all, a first key stored for a user who has none,
 * and never a second key for a user who has one.
 */
class CurrentKeysTest {

  @RegisterExtension static final InProcessMongo MONGO = new InProcessMongo();

  @TempDir Path keyDir;

  private final AtomicInteger finds = new AtomicInteger();
  private final AtomicInteger checks = new AtomicInteger();
  private MongoRecordStore store;
  private UserKeyService keys;

  @BeforeEach
  void newStore() {
    store =
        new MongoRecordStore(MONGO.newDatabase("keys_"), List.of(UserKeyService.KEYS)) {
          @Override
          public <E extends StoredRecord> List<E> find(
              CollectionDescriptor<E> collection, RecordQuery query) {
            finds.incrementAndGet();
            return super.find(collection, query);
          }

          @Override
          public Map<UUID, RecordCache.Stamp> stamps(
              CollectionDescriptor<?> collection, Collection<UUID> ids) {
            checks.incrementAndGet();
            return super.stamps(collection, ids);
          }

          @Override
          public <E extends StoredRecord> Optional<E> findById(
              CollectionDescriptor<E> collection, UUID id) {
            finds.incrementAndGet();
            return super.findById(collection, id);
          }
        };
    byte[] master = new byte[32];
    master[0] = 7;
    EncryptionConfig config =
        new EncryptionConfig(
            name ->
                Optional.ofNullable(
                    Map.of(
                            "ENCRYPTION_MASTER_KEY",
                            Base64.getEncoder().encodeToString(master),
                            "KEY_DIR",
                            keyDir.toString())
                        .get(name)));
    keys = new UserKeyService(store, config, new KeyEncryptionKeys(config));
  }

  @Test
  void eachUsersOldestKeyInOneQueryAndAFirstKeyForAUserWithout() throws InterruptedException {
    UUID alicesOldest = keys.current("alice").id();
    Thread.sleep(2); // a younger key of alice's, as two first writes at once make
    storeKeyOf("alice");
    UUID bobs = keys.current("bob").id();
    finds.set(0);

    Map<String, UserKeyService.DataKey> current = keys.current(Set.of("alice", "bob", "carol"));

    assertThat(finds).hasValue(1);
    assertThat(current.get("alice").id()).isEqualTo(alicesOldest);
    assertThat(current.get("bob").id()).isEqualTo(bobs);
    assertThat(keyIdsOf("carol")).containsExactly(current.get("carol").id());
    assertThat(keys.current(Set.of("alice", "bob", "carol")))
        .allSatisfy((user, key) -> assertThat(key.id()).isEqualTo(current.get(user).id()));
    assertThat(keyIdsOf("alice")).hasSize(2);
    assertThat(keyIdsOf("bob")).containsExactly(bobs);
    assertThat(keyIdsOf("carol")).hasSize(1);
  }

  @Test
  void aUserLeftOutOfAFullPageIsLookedUpAloneNotGivenASecondKey() throws InterruptedException {
    for (int i = 0; i < 8; i++) {
      storeKeyOf("alice"); // more keys than the page allows two users, all older than dave's
      Thread.sleep(1);
    }
    UUID daves = keys.current("dave").id();

    Map<String, UserKeyService.DataKey> current = keys.current(Set.of("alice", "dave"));

    assertThat(current.get("dave").id()).isEqualTo(daves);
    assertThat(keyIdsOf("dave")).containsExactly(daves);
  }

  @Test
  void aKeyLookedUpToSealOpensWhatItSealedWithoutAnotherLookUp() {
    UserKeyService.DataKey alices = keys.current(Set.of("alice")).get("alice");
    finds.set(0);

    assertThat(keys.byId(alices.id(), "alice")).isEqualTo(alices.key());
    assertThat(finds).as("read again").hasValue(0);
  }

  @Test
  void aCurrentKeyIsKeptBeyondItsLookUpAndUsedAgainOnlyOnceFoundStillStored() {
    UUID alices = keys.current("alice").id();
    UUID bobs = keys.current("bob").id();
    finds.set(0);

    Map<String, UserKeyService.DataKey> again = keys.current(Set.of("alice", "bob"));

    assertThat(again.get("alice").id()).isEqualTo(alices);
    assertThat(again.get("bob").id()).isEqualTo(bobs);
    assertThat(finds).as("no look-up by owner").hasValue(0);
    assertThat(checks).as("one read of both ids").hasValue(1);

    // Destroyed as an erasure on another instance destroys it, unknown to this one: the kept key
    // is found gone, and alice's data is sealed under a new key, never under the destroyed one.
    store.deleteMatching(UserKeyService.KEYS, UserKeyService.keysOf("alice", 1).filters());
    UUID alicesNew = keys.current(Set.of("alice", "bob")).get("alice").id();

    assertThat(alicesNew).isNotEqualTo(alices);
    assertThat(keyIdsOf("alice")).containsExactly(alicesNew);
    assertThat(keys.current("bob").id()).isEqualTo(bobs);
  }

  @Test
  void aKeyDestroyedHereIsNotKept() {
    UUID alices = keys.current("alice").id();

    keys.destroy("alice");

    assertThat(keys.current("alice").id()).isNotEqualTo(alices);
    assertThat(keyIdsOf("alice")).hasSize(1);
  }

  private void storeKeyOf(String user) {
    store.insert(UserKeyService.KEYS, List.of(keys.newKey(user)));
  }

  private Set<UUID> keyIdsOf(String user) {
    return store.find(UserKeyService.KEYS, UserKeyService.keysOf(user, 100)).stream()
        .map(UserKey::getId)
        .collect(Collectors.toSet());
  }
}
