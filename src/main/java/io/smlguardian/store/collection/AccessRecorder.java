package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Records accesses in the audit trail, durably before the access is answered: a write's entries in
 * the write's own transaction (a write that rolls back leaves no entry, and an entry never goes
 * missing for one that committed), a read's once its reading transaction has ended. The kernel
 * calls it; the audit trail implements it.
 */
public interface AccessRecorder {

  /**
   * Records one access.
   *
   * @param caller who accessed
   * @param collection where
   * @param operation read, query, count, insert, update or delete, or an auditor's verify or seal
   * @param owners whose data: one entry names them (or is of the one owner); none means the store's
   *     own
   */
  void accessed(
      Caller caller,
      CollectionDescriptor<?> collection,
      AccessOperation operation,
      Set<String> owners);

  /**
   * A copy of one state of a record, as the read cache keeps it.
   *
   * @param owner the record's owner, or null in an unowned collection
   */
  record Copy(CollectionDescriptor<?> collection, UUID id, String owner, RecordCache.Stamp stamp) {}

  /**
   * Records a read by id answered from a copy, provided the record is still stored in the copy's
   * state: the check and the entry share one transaction (the audit trail's shared commit, which
   * checks the copies of all the reads it commits in one query per collection), so a change or a
   * deletion committed before it, by any instance, is seen. Otherwise it records nothing and
   * answers false, and the caller reads the record from the database (and records that read) as if
   * there had been no copy. It also answers false, at once, within a caller's transaction.
   *
   * @return whether the record was unchanged and the read is recorded
   */
  boolean readIfUnchanged(Caller caller, Copy copy);

  /**
   * Reads a record by id in the audit trail's shared commit, and records the read there: the reads
   * by id of concurrent requests share one query per collection and one commit, and none needs a
   * transaction of its own. The read is recorded when the record is stored and the scope allows the
   * caller to read it, and only then: the caller refuses a record outside the scope, which records
   * the refusal. Not within a caller's transaction, whose uncommitted writes the shared commit
   * would not see. The entry is durable before the caller writes the record as JSON: should that
   * fail (its key-encryption key destroyed, see {@code UnreadableDataException}), the failed answer
   * has this entry, of a read the database did make, and no second one.
   *
   * @param scope the only owner whose records the caller may read, or empty for any
   * @return the record, when it is stored
   * @throws IllegalStateException within a caller's transaction
   */
  <E extends StoredRecord> Optional<E> readById(
      Caller caller, CollectionDescriptor<E> collection, UUID id, Optional<String> scope);

  /**
   * Inserts new records and records the insert in the audit trail's shared commit: the inserts of
   * concurrent requests share one statement per collection and one commit, and each request's entry
   * commits with its records, as in a transaction of its own. Not within a caller's transaction,
   * whose other writes would not be in it.
   *
   * @param records validated, their protected fields still clear: they are sealed in that commit,
   *     the keys of every insert waiting looked up in one query of its transaction (a key a user's
   *     first write stores thus commits with the record it was made for)
   * @param owners whose records they are, as {@link #accessed} takes them
   * @throws RuntimeException the insert's failure, as a transaction of its own would have met it
   * @throws IllegalStateException within a caller's transaction
   */
  <E extends StoredRecord> void insertShared(
      Caller caller, NewRecords<E> records, Set<String> owners);
}
