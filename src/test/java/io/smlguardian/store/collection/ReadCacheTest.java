package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.interaction.Interaction;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.security.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * When the read cache answers, outside a container: only with the audit trail's word that the copy
 * still matches the database, never for a caller outside the copy's owner, never for the audit
 * trail's entries. (The audit trail's check itself: {@code AuditGroupCommitTest}; all of it on the
 * real server: {@code ReadCacheIT}.)
 */
class ReadCacheTest {

  /** The audit trail, as far as the cache sees it: confirms copies while {@code unchanged}. */
  private static final class Recorder implements AccessRecorder {
    boolean unchanged = true;
    final List<Copy> asked = new ArrayList<>();

    @Override
    public void accessed(
        Caller caller,
        CollectionDescriptor<?> collection,
        AccessOperation operation,
        Set<String> owners) {}

    @Override
    public boolean readIfUnchanged(Caller caller, Copy copy) {
      asked.add(copy);
      return unchanged;
    }

    @Override
    public <E extends StoredRecord> Optional<E> readById(
        Caller caller, CollectionDescriptor<E> collection, UUID id, Optional<String> scope) {
      return Optional.empty(); // not the cache's
    }

    @Override
    public <E extends StoredRecord> void insertShared(
        Caller caller, NewRecords<E> records, Set<String> owners) {
      throw new AssertionError("the read cache inserts nothing");
    }
  }

  private static final Caller CALLER = new Caller("svc", Set.of(), "10.0.0.1");

  private final Recorder audit = new Recorder();
  private final ReadCache cache = new ReadCache(100, FieldProtection.NONE, audit);

  private static <E extends StoredRecord> E stored(
      CollectionDescriptor<E> collection, String user) {
    E record = collection.blankRecord();
    collection.schema().field("id").orElseThrow().write(record, UUID.randomUUID());
    collection.schema().field("userId").orElseThrow().write(record, user);
    collection.schema().field("version").orElseThrow().write(record, 3L);
    collection
        .schema()
        .field("createdAt")
        .orElseThrow()
        .write(record, Instant.parse("2026-12-01T10:00:00Z"));
    return record;
  }

  private static final String JSON = "{\"userId\":\"u1\",\"type\":\"chat\",\"agentMode\":\"x\"}";

  @Test
  void answersWithTheAuditTrailsWordThatTheCopyStillMatchesProjectedAsAsked() {
    Interaction record = stored(Interactions.COLLECTION, "u1");
    cache.keep(Interactions.COLLECTION, record, JSON);

    Optional<RecordView> full =
        cache.read(CALLER, Interactions.COLLECTION, record.getId(), Optional.empty(), List.of());
    Optional<RecordView> projected =
        cache.read(
            CALLER, Interactions.COLLECTION, record.getId(), Optional.of("u1"), List.of("type"));

    assertThat(full).contains(new RecordView(record.getId(), 3, JSON));
    assertThat(projected.orElseThrow().json()).isEqualTo("{\"type\":\"chat\"}");
    assertThat(audit.asked)
        .containsOnly(
            new AccessRecorder.Copy(
                Interactions.COLLECTION, record.getId(), "u1", RecordCache.Stamp.of(record)));
    assertThat(cache.figures().hits()).isEqualTo(2);
  }

  @Test
  void aCopyTheAuditTrailFindsChangedIsNotAnsweredAndForgotten() {
    Interaction record = stored(Interactions.COLLECTION, "u1");
    cache.keep(Interactions.COLLECTION, record, JSON);
    audit.unchanged = false;

    assertThat(
            cache.read(
                CALLER, Interactions.COLLECTION, record.getId(), Optional.empty(), List.of()))
        .isEmpty();
    assertThat(cache.figures().stale()).isEqualTo(1);
    assertThat(cache.figures().size()).isZero();
  }

  @Test
  void neverAnswersACallerConfinedToAnotherOwnerAndAsksNothing() {
    Interaction record = stored(Interactions.COLLECTION, "u1");
    cache.keep(Interactions.COLLECTION, record, JSON);

    assertThat(
            cache.read(
                CALLER, Interactions.COLLECTION, record.getId(), Optional.of("u2"), List.of()))
        .isEmpty();
    assertThat(audit.asked).isEmpty();
  }

  @Test
  void keepsNoAuditEntryAndForgetsWhatIsWrittenOrErased() {
    var entry = stored(AccessLogs.COLLECTION, "u1");
    cache.keep(AccessLogs.COLLECTION, entry, JSON);
    Interaction written = stored(Interactions.COLLECTION, "u1");
    cache.keep(Interactions.COLLECTION, written, JSON);
    Interaction erased = stored(Interactions.COLLECTION, "u2");
    cache.keep(Interactions.COLLECTION, erased, JSON);
    assertThat(cache.figures().size()).isEqualTo(2);

    cache.forget(Interactions.COLLECTION, written.getId());
    cache.forgetOwner("u2");

    assertThat(cache.figures().size()).isZero();
  }
}
