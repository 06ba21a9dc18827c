package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.VersionConflictException;
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

  /**
   * Chain heads: kept through the store, never a collection of the API. Public for backups, which
   * carry the heads so that restored chains still verify.
   */
  public static final CollectionDescriptor<AuditChainHead> HEADS =
      new CollectionDescriptor<>(
          "audit_chains",
          AuditChainHead.class,
          DataCategory.AUDIT_LOG,
          Period.ZERO,
          "createdAt",
          List.of("chain"));

  /**
   * How often an append on a store without transactions links its entries again after losing the
   * head to a concurrent one, before it gives up (as a version conflict): each loss means another
   * append went in, so this bounds the wait only under a storm of appends to one chain.
   */
  private static final int MAX_ATTEMPTS = 100;

  private RecordStore store;

  protected AuditChain() {}

  @Inject
  public AuditChain(RecordStore store) {
    this.store = store;
  }

  /**
   * Appends entries of one chain in the caller's transaction, holding the chain until it ends.
   *
   * <p>The head moves first, then the entries go in. On a transactional store the head is locked
   * when read, so nothing else moves it meanwhile. On one without transactions (MongoDB), the read
   * locks nothing: when a concurrent append moved the head first, this one's update loses on the
   * head's version and changes nothing, and the entries are linked again after the new head. So no
   * two entries ever take one position; what a crash between the two writes can leave is a head
   * past entries never written, which verification reports as missing entries.
   */
  @Transactional
  public void append(String chain, List<AccessLog> entries) {
    for (int attempt = 1; ; attempt++) {
      AuditChainHead head =
          store.findForUpdate(HEADS, AuditChainHead.idOf(chain)).orElseGet(() -> created(chain));
      for (AccessLog entry : entries) {
        entry.link(head.seq(), head.hash());
        head.advance(entry);
      }
      try {
        store.update(HEADS, head);
        break;
      } catch (VersionConflictException lost) {
        if (store.supportsAtomicWrites() || attempt == MAX_ATTEMPTS) {
          throw lost;
        }
      }
    }
    store.insert(AccessLogs.COLLECTION, entries);
  }

  /**
   * A new chain's head, made in a transaction of its own and then locked: when two first accesses
   * race, one creates it, the other finds it. Where the store cannot open a transaction inside this
   * one (SQLite), the head is made in this one: nothing else writes while it is open, so there is
   * no race to lose.
   */
  private AuditChainHead created(String chain) {
    if (!store.supportsNestedTransactions()) {
      AuditChainHead head = new AuditChainHead(chain);
      store.insert(HEADS, List.of(head));
      return head;
    }
    try {
      self().create(chain);
    } catch (RuntimeException raced) {
      // Created by a concurrent first access: lock that one below. Or this very transaction
      // deleted the chain's head (a reset), so that no other may write that key until it ends:
      // then it is made here, below.
    }
    return store
        .findForUpdate(HEADS, AuditChainHead.idOf(chain))
        .orElseGet(
            () -> {
              AuditChainHead head = new AuditChainHead(chain);
              store.insert(HEADS, List.of(head));
              return head;
            });
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void create(String chain) {
    store.insert(HEADS, List.of(new AuditChainHead(chain)));
  }

  /** Forgets every chain (a reset of the store, whose entries are gone). */
  void clear() {
    store.deleteMatching(HEADS, List.of());
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
