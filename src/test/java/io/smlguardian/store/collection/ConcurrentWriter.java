package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import jakarta.annotation.Resource;
import jakarta.ejb.AsyncResult;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A writer for {@link RecordServiceIT}'s race: updates a memory on a thread of its own, in a
 * transaction of its own.
 *
 * <p>It is an asynchronous enterprise bean because the writer threads must be the container's: on a
 * plain {@code new Thread} the server has no component context, and the JPA layer fails before the
 * test gets to its point. The bean manages its transaction itself so that it can hold it open
 * between its read and its write.
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class ConcurrentWriter {

  /** The in-container tests act as an internal service, which may touch any record. */
  private static final Caller SERVICE = Caller.system("in-container-test");

  /** What one writer achieved: the committed version, or what its update threw. */
  public record Outcome(Long committedVersion, RuntimeException failure) {}

  @Inject RecordService records;
  @Inject RecordStore store;
  @Inject CollectionRegistry collections;

  @Resource UserTransaction transaction;

  /**
   * Reads the record (so this transaction's persistence context holds the version it saw), waits
   * until the other writer has read too, then updates the strength through the service expecting
   * that version, and commits. The read goes to the store: the service's read would append to the
   * owner's audit chain and hold it until this transaction ends, and the other writer's read would
   * wait for it.
   */
  @Asynchronous
  public Future<Outcome> readThenUpdate(
      UUID id, long expectedVersion, double strength, CyclicBarrier bothHaveRead) throws Exception {
    transaction.begin();
    try {
      long seen = store.findById(collections.get("memories"), id).orElseThrow().getVersion();
      if (seen != expectedVersion) {
        throw new IllegalStateException("read version " + seen + ", not " + expectedVersion);
      }
      bothHaveRead.await(30, TimeUnit.SECONDS);
      RecordView updated =
          records.update(
              SERVICE,
              "memories",
              id,
              expectedVersion,
              Json.createObjectBuilder().add("strength", strength).build());
      transaction.commit();
      return new AsyncResult<>(new Outcome(updated.version(), null));
    } catch (VersionConflictException e) {
      return new AsyncResult<>(new Outcome(null, e));
    } finally {
      // The loser's transaction is rollback-only; a bean must not return with one still open.
      if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
        transaction.rollback();
      }
    }
  }
}
