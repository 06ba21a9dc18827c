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
import java.util.List;
import java.util.UUID;

/**
 * One block of the audit ledger: the entries the sealer linked in one go, in the order of their
 * positions. Its hash is an HMAC under the audit key over the previous block's hash, its own
 * number, counts and times, and every entry's MAC in order: an entry altered, removed, added or
 * moved within the block, or a block removed from the middle, breaks it or the next block's link.
 */
@Entity
@Table(name = "audit_blocks")
public class AuditBlock extends StoredRecord {

  /**
   * Blocks: kept through the store beside the entries, and carried by backups; no API collection.
   */
  public static final CollectionDescriptor<AuditBlock> BLOCKS =
      new CollectionDescriptor<>(
          "audit_blocks",
          AuditBlock.class,
          DataCategory.AUDIT_LOG,
          Period.ZERO,
          "lastEntryAt",
          List.of("number"));

  /** The previous hash of the first block there ever was. */
  public static final String GENESIS = "0".repeat(64);

  @NotNull
  @Column(name = "block_no", nullable = false, updatable = false)
  private Long number;

  @NotNull
  @Size(max = 64)
  @Column(name = "prev_hash", nullable = false, updatable = false, length = 64)
  private String previousHash;

  @NotNull
  @Column(name = "entry_count", nullable = false, updatable = false)
  private Long entries;

  /** Entries in the ledger up to and including this block, since the first block there was. */
  @NotNull
  @Column(name = "total_entries", nullable = false, updatable = false)
  private Long totalEntries;

  @NotNull
  @Column(name = "first_entry_at", nullable = false, updatable = false)
  private Instant firstEntryAt;

  @NotNull
  @Column(name = "last_entry_at", nullable = false, updatable = false)
  private Instant lastEntryAt;

  @NotNull
  @Size(max = 16)
  @Column(name = "key_id", nullable = false, updatable = false, length = 16)
  private String keyId;

  @NotNull
  @Size(max = 64)
  @Column(name = "hash", nullable = false, updatable = false, length = 64)
  private String hash;

  protected AuditBlock() {}

  /**
   * Seals the entries, in their order, after the block that ends in the given number and hash.
   *
   * @param entryMacs the MACs of the entries, in their positions' order
   */
  AuditBlock(
      long number,
      String previousHash,
      long previousTotal,
      Instant firstEntryAt,
      Instant lastEntryAt,
      List<String> entryMacs,
      AuditKey key) {
    super(idOf(number));
    this.number = number;
    this.previousHash = previousHash;
    this.entries = (long) entryMacs.size();
    this.totalEntries = previousTotal + entryMacs.size();
    this.firstEntryAt = firstEntryAt;
    this.lastEntryAt = lastEntryAt;
    this.keyId = key.id();
    this.hash = computeHash(key, entryMacs);
  }

  /** A block's id is derived from its number: two sealers can never store the same block twice. */
  static UUID idOf(long number) {
    return UUID.nameUUIDFromBytes(("audit-block/" + number).getBytes(StandardCharsets.UTF_8));
  }

  /** The hash this block must have over these entry MACs, under the key. */
  String computeHash(AuditKey key, List<String> entryMacs) {
    Canonical content =
        new Canonical("guardian-audit-block/1")
            .add(number)
            .add(previousHash)
            .add(entries)
            .add(totalEntries)
            .add(firstEntryAt)
            .add(lastEntryAt)
            .add(keyId)
            .add((long) entryMacs.size());
    entryMacs.forEach(content::add);
    return key.mac(AuditKey.BLOCK, content.bytes());
  }

  long number() {
    return number;
  }

  String previousHash() {
    return previousHash;
  }

  long entries() {
    return entries;
  }

  long totalEntries() {
    return totalEntries;
  }

  Instant lastEntryAt() {
    return lastEntryAt;
  }

  String hash() {
    return hash;
  }
}
