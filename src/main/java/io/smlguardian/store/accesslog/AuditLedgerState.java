package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The ledger's one state row: its last block, and the checkpoint that retention leaves when it
 * removes the oldest blocks (the first block kept, and the hash it links to), so that what remains
 * still verifies. A sealer takes its turn by writing its lease into this row (read for update where
 * the database locks rows; elsewhere the row's version lets one of several claimants win), so one
 * instance seals at a time, and another takes over when a lease runs out unrenewed.
 */
@Entity
@Table(name = "audit_ledger")
public class AuditLedgerState extends StoredRecord {

  public static final CollectionDescriptor<AuditLedgerState> LEDGER =
      new CollectionDescriptor<>(
          "audit_ledger",
          AuditLedgerState.class,
          DataCategory.AUDIT_LOG,
          Period.ZERO,
          "updatedAt",
          List.of());

  static final UUID ID = UUID.nameUUIDFromBytes("audit-ledger".getBytes(StandardCharsets.UTF_8));

  @NotNull
  @Column(name = "last_block", nullable = false)
  private Long lastBlock;

  @NotNull
  @Size(max = 64)
  @Column(name = "last_hash", nullable = false, length = 64)
  private String lastHash;

  @NotNull
  @Column(name = "total_entries", nullable = false)
  private Long totalEntries;

  /** The first block kept: those before it were removed by retention (1 while none was). */
  @NotNull
  @Column(name = "first_block", nullable = false)
  private Long firstBlock;

  /** The hash the first block kept links to ({@link AuditBlock#GENESIS} while none was removed). */
  @NotNull
  @Size(max = 64)
  @Column(name = "checkpoint_hash", nullable = false, length = 64)
  private String checkpointHash;

  /** The sealer (an instance) whose turn it is, until {@link #leaseUntil}. */
  @Size(max = 64)
  @Column(name = "sealer", length = 64)
  private String sealer;

  @Column(name = "lease_until")
  private Instant leaseUntil;

  @NotNull
  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected AuditLedgerState() {}

  static AuditLedgerState empty() {
    AuditLedgerState state = new AuditLedgerState(ID);
    state.lastBlock = 0L;
    state.lastHash = AuditBlock.GENESIS;
    state.totalEntries = 0L;
    state.firstBlock = 1L;
    state.checkpointHash = AuditBlock.GENESIS;
    state.updatedAt = now();
    return state;
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** Whether the sealer may take the turn: its own lease, or nobody's that still runs. */
  boolean leasableBy(String candidate, Instant at) {
    return sealer == null
        || sealer.equals(candidate)
        || leaseUntil == null
        || at.isAfter(leaseUntil);
  }

  void lease(String holder, Instant until) {
    sealer = holder;
    leaseUntil = holder == null ? null : until.truncatedTo(ChronoUnit.MICROS);
    updatedAt = now();
  }

  private AuditLedgerState(UUID id) {
    super(id);
  }

  void sealed(AuditBlock block) {
    lastBlock = block.number();
    lastHash = block.hash();
    totalEntries = block.totalEntries();
    updatedAt = now();
  }

  /** Retention removed every block before {@code first}; the kept one links to that hash. */
  void checkpoint(long first, String linkedHash) {
    firstBlock = first;
    checkpointHash = linkedHash;
    updatedAt = now();
  }

  long lastBlock() {
    return lastBlock;
  }

  String lastHash() {
    return lastHash;
  }

  long totalEntries() {
    return totalEntries;
  }

  long firstBlock() {
    return firstBlock;
  }

  String checkpointHash() {
    return checkpointHash;
  }
}
