package io.smlguardian.store.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.AtomicWritesUnsupportedException;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.RecordNotFoundException;
import io.smlguardian.store.collection.UnknownCollectionException;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.encryption.UnreadableDataException;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.privacy.LegalHoldException;
import io.smlguardian.store.security.AccessDeniedException;
import jakarta.transaction.RollbackException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each feature's refusal carries the status the API answers it with, and what it tells. */
class RefusalTest {

  private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000007");

  @Test
  void eachRefusalCarriesItsStatus() {
    assertThat(new InvalidRequestException("bad", List.of("type: required")))
        .satisfies(r -> assertThat(r.status().getStatusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.errors()).containsExactly("type: required"));
    assertThat(new AccessDeniedException("u", "memories", "read", "not yours").status())
        .extracting(s -> s.getStatusCode())
        .isEqualTo(403);
    assertThat(new RecordNotFoundException(Memories.COLLECTION, ID).status().getStatusCode())
        .isEqualTo(404);
    assertThat(new UnknownCollectionException("x", List.of("memories")).status().getStatusCode())
        .isEqualTo(404);
    assertThat(new LegalHoldException("u", "case 7").status().getStatusCode()).isEqualTo(409);
    assertThat(new UnreadableDataException("key gone").status().getStatusCode()).isEqualTo(410);
    assertThat(new VersionConflictException(Memories.COLLECTION, ID, "changed").status())
        .extracting(s -> s.getStatusCode())
        .isEqualTo(412);
    assertThat(new AtomicWritesUnsupportedException("mongodb", "an atomic request").status())
        .extracting(s -> s.getStatusCode())
        .isEqualTo(501);
  }

  @Test
  void whatTheCallerIsToldSaysWhatToDo() {
    assertThat(new VersionConflictException(Memories.COLLECTION, ID, "changed").detail())
        .contains("retry with its current ETag");
    assertThat(new UnreadableDataException("authentication failed").detail())
        .contains("destroyed by an erasure")
        .doesNotContain("authentication");
  }

  @Test
  void refusalsThatConcernAnOwnerSayWhoseAccessWasRefused() {
    assertThat(new LegalHoldException("u-held", "case 7").refusedAccess())
        .hasValueSatisfying(
            a -> {
              assertThat(a.owner()).isEqualTo("u-held");
              assertThat(a.operation()).isEqualTo("erase");
            });
    assertThat(new AccessDeniedException("u", "memories", "read", "not yours").refusedAccess())
        .hasValue(new Refusal.RefusedAccess("u", "memories", "read", "not yours"));
    assertThat(new RecordNotFoundException(Memories.COLLECTION, ID).refusedAccess()).isEmpty();
  }

  @Test
  void aRefusalWrappedByTheContainerIsStillARefusal() {
    var refusal = new InvalidRequestException("bad");
    var wrapped = new IllegalStateException(new RollbackException("rolled back"));
    wrapped.getCause().initCause(refusal);

    assertThat(Refusal.isRefusal(refusal)).isTrue();
    assertThat(Refusal.isRefusal(wrapped)).isTrue();
    assertThat(Refusal.isRefusal(new IllegalStateException("a failure"))).isFalse();
    assertThat(Refusal.isRefusal(null)).isFalse();
  }
}
