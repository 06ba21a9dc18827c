package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.memory.Memory;
import io.smlguardian.store.metric.Metrics;
import io.smlguardian.store.problem.Refusal.RefusedAccess;
import io.smlguardian.store.security.AccessDeniedException;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Role;
import io.smlguardian.store.testsupport.GeneratedRecords;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who may touch which records: the rules of {@link CollectionAccess}, one by one. */
class CollectionAccessTest {

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static Caller caller(String subject, Role... roles) {
    return new Caller(subject, Set.of(roles), "10.0.0.1");
  }

  @ParameterizedTest
  @EnumSource(
      value = AccessOperation.class,
      names = {"READ", "QUERY", "COUNT", "INSERT", "UPDATE", "DELETE"})
  void aServiceMayDoAnythingWithAnyUsersRecords(AccessOperation operation) {
    assertThat(
            CollectionAccess.ownerScope(
                caller("svc", Role.SERVICE), Memories.COLLECTION, operation))
        .isEmpty();
    assertThat(
            CollectionAccess.ownerScope(caller("svc", Role.SERVICE), Metrics.COLLECTION, operation))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = AccessOperation.class,
      names = {"READ", "QUERY", "COUNT", "INSERT", "UPDATE", "DELETE"})
  void aUserIsLimitedToTheirOwnRecordsInOwnedCollections(AccessOperation operation) {
    assertThat(
            CollectionAccess.ownerScope(caller("alice", Role.USER), Memories.COLLECTION, operation))
        .contains("alice");
  }

  @Test
  void aUserMayNotTouchACollectionWithoutOwners() {
    assertThatThrownBy(
            () ->
                CollectionAccess.ownerScope(
                    caller("alice", Role.USER), Metrics.COLLECTION, AccessOperation.READ))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("do not allow read on metrics");
  }

  @ParameterizedTest
  @EnumSource(
      value = AccessOperation.class,
      names = {"READ", "QUERY", "COUNT"})
  void anAuditorMayReadTheAuditTrailOfEveryone(AccessOperation operation) {
    assertThat(
            CollectionAccess.ownerScope(
                caller("eve", Role.AUDITOR), AccessLogs.COLLECTION, operation))
        .isEmpty();
  }

  @Test
  void anAuditorMayReadNothingElse() {
    assertThatThrownBy(
            () ->
                CollectionAccess.ownerScope(
                    caller("eve", Role.AUDITOR), Memories.COLLECTION, AccessOperation.READ))
        .isInstanceOf(AccessDeniedException.class);
  }

  /** Not even a service: the audit trail is the store's own record. */
  @ParameterizedTest
  @EnumSource(
      value = AccessOperation.class,
      names = {"INSERT", "UPDATE", "DELETE"})
  void nobodyWritesTheAuditTrailThroughTheApi(AccessOperation operation) {
    for (Role role : Role.values()) {
      assertThatThrownBy(
              () ->
                  CollectionAccess.ownerScope(
                      caller("anyone", role), AccessLogs.COLLECTION, operation))
          .as(role + " " + operation)
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("written by the store alone");
    }
  }

  @Test
  void callersWithoutADataRoleAreRefused() {
    for (Role role : Set.of(Role.PRIVACY_OFFICER, Role.OPERATOR)) {
      AccessDeniedException refused =
          (AccessDeniedException)
              catchRefusal(
                  () ->
                      CollectionAccess.ownerScope(
                          caller("op", role), Memories.COLLECTION, AccessOperation.READ));
      assertThat(refused.status().getStatusCode()).as(role.name()).isEqualTo(403);
      assertThat(refused.refusedAccess())
          .as(role.name())
          .map(RefusedAccess::collection)
          .contains("memories");
    }
  }

  @Test
  void aNewRecordOfAnotherOwnerIsForbidden() {
    Memory record = GeneratedRecords.full(Memories.COLLECTION, "bob", T0);

    AccessDeniedException refused =
        (AccessDeniedException)
            catchRefusal(
                () ->
                    CollectionAccess.checkNewOwner(
                        Optional.of("alice"), Memories.COLLECTION, record, AccessOperation.INSERT));

    assertThat(refused.status()).isEqualTo(Response.Status.FORBIDDEN);
    assertThat(refused.owner()).isEqualTo("bob");
    CollectionAccess.checkNewOwner(
        Optional.of("bob"),
        Memories.COLLECTION,
        record,
        AccessOperation.INSERT); // their own: allowed
    CollectionAccess.checkNewOwner(
        Optional.empty(), Memories.COLLECTION, record, AccessOperation.INSERT);
  }

  /** A 403 would tell the caller that the id exists: it is not found, as any unknown id. */
  @Test
  void aStoredRecordOfAnotherOwnerIsNotFoundButAuditedUnderItsOwner() {
    Memory record = GeneratedRecords.stored(Memories.COLLECTION, "bob", T0, 1);

    RecordNotFoundException refused =
        (RecordNotFoundException)
            catchRefusal(
                () ->
                    CollectionAccess.checkStoredOwner(
                        Optional.of("alice"), Memories.COLLECTION, record, AccessOperation.READ));

    assertThat(refused.status()).isEqualTo(Response.Status.NOT_FOUND);
    assertThat(refused.detail())
        .isEqualTo(new RecordNotFoundException(Memories.COLLECTION, record.getId()).detail())
        .doesNotContain("bob");
    assertThat(refused.refusedAccess()).map(RefusedAccess::owner).contains("bob");
    CollectionAccess.checkStoredOwner(
        Optional.of("bob"), Memories.COLLECTION, record, AccessOperation.READ);
    CollectionAccess.checkStoredOwner(
        Optional.empty(), Memories.COLLECTION, record, AccessOperation.READ);
  }

  private static RuntimeException catchRefusal(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }
}
