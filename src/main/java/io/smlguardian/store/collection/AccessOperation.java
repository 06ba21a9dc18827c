package io.smlguardian.store.collection;

/**
 * The fixed operations the audit trail records, each with the exact name stored in an access log
 * entry's {@code operation} column and shown by the API. That name is the stored form: the ledger's
 * MACs hash it, so a constant's wire name never changes once entries carry it.
 *
 * <p>Not every recorded operation is one of these: a refused request records its HTTP method and
 * path ("GET /api/..."), and receipts name their run ("restore " + id, "export json"), so the
 * entry's column stays a String and a constant becomes its {@link #wireName()} at that boundary.
 * The kernel holds the vocabulary so that it and every feature can name an operation without a
 * dependency cycle.
 */
public enum AccessOperation {
  READ("read"),
  QUERY("query"),
  COUNT("count"),
  INSERT("insert"),
  UPDATE("update"),
  DELETE("delete"),
  /** A write-behind insert, recorded when the ingest stores the records. */
  INGEST("ingest"),
  /** The ingest's receipt of one flush of its journal. */
  INGEST_FLUSH("ingest-flush"),
  /** An ingested record the store refused for good, set aside by the flusher. */
  INGEST_DEAD_LETTER("ingest-dead-letter"),
  /** An operator's return of a set-aside record to the journal. */
  INGEST_DEAD_LETTER_RETRY("ingest-dead-letter-retry"),
  /** An operator's discard of a set-aside record. */
  INGEST_DEAD_LETTER_DISCARD("ingest-dead-letter-discard"),
  /** An auditor's verification of the trail. */
  VERIFY("verify"),
  /** An auditor's seal of the trail on request. */
  SEAL("seal"),
  /** A reset of the whole store, the new trail's first entry. */
  RESET("reset"),
  ERASE("erase"),
  HOLD_PLACED("hold placed"),
  HOLD_RELEASED("hold released"),
  KEY_ROTATION("key rotation"),
  /** Requests without a valid token from one address in one minute, beyond those recorded alone. */
  UNAUTHENTICATED_IN_AGGREGATE("requests without a valid token, in aggregate");

  private final String wireName;

  AccessOperation(String wireName) {
    this.wireName = wireName;
  }

  /** The name stored in the entry's {@code operation} column and shown by the API. */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
