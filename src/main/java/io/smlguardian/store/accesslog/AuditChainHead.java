package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.StoredRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The end of one hash chain of the audit trail (one chain per user whose data was accessed): the
 * position and hash of its last entry. Appending locks it, so entries of one chain are linked one
 * after the other; removing the last entries of a chain shows as a head that points past them.
 */
@Entity
@Table(name = "audit_chains")
public class AuditChainHead extends StoredRecord {

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

  AuditChainHead(String chain) {
    super(idOf(chain));
    this.chain = chain;
    this.seq = 0L;
    this.hash = AuditChain.GENESIS;
  }

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

  void advance(AccessLog entry) {
    this.seq = entry.seq();
    this.hash = entry.hash();
  }
}
