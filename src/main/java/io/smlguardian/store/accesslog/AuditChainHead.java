package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.Period;
import java.util.List;
import java.util.UUID;

/**
 * Legacy: the end of one per-user hash chain of the audit trail as it was before the ledger (the
 * position and hash of its last entry). No entry is appended to these chains any more; they are
 * kept, and carried by backups, so that the entries written before the ledger still verify,
 * removals from their ends included.
 */
@Entity
@Table(name = "audit_chains")
public class AuditChainHead extends StoredRecord {

  /** The legacy chains' heads: kept through the store and carried by backups; no API collection. */
  public static final CollectionDescriptor<AuditChainHead> HEADS =
      new CollectionDescriptor<>(
          "audit_chains",
          AuditChainHead.class,
          DataCategory.AUDIT_LOG,
          Period.ZERO,
          "createdAt",
          List.of("chain"));

  /** The previous hash of every legacy chain's first entry. */
  static final String GENESIS = "0".repeat(64);

  @NotBlank
  @Size(max = 128)
  @Column(name = "chain", nullable = false, updatable = false, length = 128)
  private String chain;

  @NotNull
  @Column(name = "seq", nullable = false)
  private Long seq;

  @NotBlank
  @Size(max = 64)
  @Column(name = "hash", nullable = false, length = 64)
  private String hash;

  protected AuditChainHead() {}

  /** A chain's head has a fixed id derived from the chain, so it can be found and locked by id. */
  static UUID idOf(String chain) {
    return UUID.nameUUIDFromBytes(("audit-chain/" + chain).getBytes(StandardCharsets.UTF_8));
  }

  String chain() {
    return chain;
  }

  long seq() {
    return seq;
  }

  String hash() {
    return hash;
  }
}
