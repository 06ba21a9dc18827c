package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a chain of the audit trail from its first entry, recomputing every hash, and reports the
 * first link that does not hold: an entry altered in place (its hash no longer matches), removed (a
 * gap in the positions, or a successor whose previous hash points at nothing), or the chain's last
 * entries removed (the head points past the last entry left).
 */
@ApplicationScoped
@Transactional
public class AuditVerifier {

  private static final int PAGE = 1000;

  private RecordStore store;

  protected AuditVerifier() {}

  @Inject
  public AuditVerifier(RecordStore store) {
    this.store = store;
  }

  /**
   * The outcome of verifying one chain.
   *
   * @param chain the user whose chain it is
   * @param entries how many entries were checked
   * @param brokenAt the position of the first broken link, or null when the chain holds
   * @param entryId the entry at that position, when there is one
   * @param problem what is wrong there
   */
  public record Verification(
      String chain, long entries, Long brokenAt, String entryId, String problem) {

    public boolean valid() {
      return brokenAt == null;
    }
  }

  public Verification verify(String chain) {
    long expectedSeq = 1;
    String previousHash = AuditChain.GENESIS;
    long checked = 0;
    Long after = null;
    while (true) {
      List<AccessLog> page = store.find(AccessLogs.COLLECTION, chainPage(chain, after));
      for (AccessLog entry : page) {
        checked++;
        String id = String.valueOf(entry.getId());
        if (entry.seq() != expectedSeq) {
          return new Verification(
              chain,
              checked,
              expectedSeq,
              null,
              "entry " + expectedSeq + " is missing (the next one found is " + entry.seq() + ")");
        }
        if (!previousHash.equals(entry.prevHash())) {
          return new Verification(
              chain,
              checked,
              entry.seq(),
              id,
              "its previous hash does not match entry " + (expectedSeq - 1));
        }
        if (!AuditChain.hash(previousHash, entry.canonical()).equals(entry.hash())) {
          return new Verification(
              chain, checked, entry.seq(), id, "its content does not match its hash: altered");
        }
        previousHash = entry.hash();
        expectedSeq++;
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    long last = expectedSeq - 1;
    AuditChainHead head = store.findById(AuditChain.HEADS, AuditChainHead.idOf(chain)).orElse(null);
    if (head != null && (head.seq() != last || !head.hash().equals(previousHash))) {
      return new Verification(
          chain,
          checked,
          last + 1,
          null,
          "the chain's head is at entry "
              + head.seq()
              + ", but the last entry found is "
              + last
              + ": entries were removed from its end");
    }
    return new Verification(chain, checked, null, null, null);
  }

  private static RecordQuery chainPage(String chain, Long after) {
    List<Filter> filters = new ArrayList<>();
    filters.add(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(chain)));
    filters.add(
        new Filter(
            "seq",
            after == null ? FilterOperator.IS : FilterOperator.GT,
            after == null,
            java.util.Collections.singletonList(after)));
    return new RecordQuery(filters, List.of(SortOrder.asc("seq")), PAGE, 0, List.of());
  }
}
