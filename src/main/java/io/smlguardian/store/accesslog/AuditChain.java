package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.RecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Period;
import java.util.HexFormat;
import java.util.List;

/**
 * Links audit entries into one hash chain per user: each entry carries the hash of its predecessor
 * and its own hash over that and its content. The chain's head is locked while an entry is
 * appended, so concurrent accesses to one user's data take turns here.
 */
@ApplicationScoped
public class AuditChain {

  /** The previous hash of every chain's first entry. */
  public static final String GENESIS = "0".repeat(64);

  /** Chain heads: kept through the store, never a collection of the API. */
  static final CollectionDescriptor<AuditChainHead> HEADS =
      new CollectionDescriptor<>(
          "audit_chains",
          AuditChainHead.class,
          DataCategory.AUDIT_LOG,
          Period.ZERO,
          "createdAt",
          List.of("chain"));

  private RecordStore store;

  protected AuditChain() {}

  @Inject
  public AuditChain(RecordStore store) {
    this.store = store;
  }

  /**
   * Appends entries of one chain in a short transaction of their own: for reads, which may be
   * recorded just after the access, so that no reader holds the chain while it works on.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void appendAlone(String chain, List<AccessLog> entries) {
    append(chain, entries);
  }

  /** Appends entries of one chain in the caller's transaction, holding the chain until it ends. */
  @Transactional
  public void append(String chain, List<AccessLog> entries) {
    AuditChainHead head =
        store.findForUpdate(HEADS, AuditChainHead.idOf(chain)).orElseGet(() -> created(chain));
    for (AccessLog entry : entries) {
      entry.link(head.seq(), head.hash());
      head.advance(entry);
    }
    store.insert(AccessLogs.COLLECTION, entries);
    store.update(HEADS, head);
  }

  /**
   * A new chain's head, made in a transaction of its own and then locked: when two first accesses
   * race, one creates it, the other finds it.
   */
  private AuditChainHead created(String chain) {
    try {
      self().create(chain);
    } catch (RuntimeException raced) {
      // Created by a concurrent first access: lock that one below.
    }
    return store
        .findForUpdate(HEADS, AuditChainHead.idOf(chain))
        .orElseThrow(() -> new IllegalStateException("audit chain " + chain + " was not created"));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void create(String chain) {
    store.insert(HEADS, List.of(new AuditChainHead(chain)));
  }

  /** This bean through its CDI proxy, so that {@link #create} gets its own transaction. */
  private AuditChain self() {
    return jakarta.enterprise.inject.spi.CDI.current().select(AuditChain.class).get();
  }

  static String hash(String previousHash, String content) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
      sha256.update((byte) '\n');
      sha256.update(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
