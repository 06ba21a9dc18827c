package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.OwnedRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * One entry of the audit trail: who accessed whose data, how, from where, whether it succeeded and
 * why. The user is the one whose data was accessed.
 */
@Entity
@Table(name = "access_logs")
public class AccessLog extends OwnedRecord {

  /** The owner of an entry whose request was refused before it named whose data it wanted. */
  public static final String UNKNOWN_USER = "unknown";

  @NotBlank
  @Size(max = 64)
  @Column(name = "access_type", nullable = false, length = 64)
  private String accessType;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  @Size(max = 64)
  @Column(name = "ip_address", length = 64)
  private String ipAddress;

  @NotNull
  @Column(name = "success", nullable = false)
  private Boolean success;

  @Size(max = 1000)
  @Column(name = "reason", length = 1000)
  private String reason;

  @Size(max = 256)
  @Column(name = "principal", length = 256)
  private String principal;

  @Size(max = 64)
  @Column(name = "collection", length = 64)
  private String collection;

  @Size(max = 256)
  @Column(name = "operation", length = 256)
  private String operation;

  /** Position in the owner's hash chain, from 1. */
  @Column(name = "seq")
  private Long seq;

  /** The hash of the previous entry of the chain ({@link AuditChain#GENESIS} for the first). */
  @Size(max = 64)
  @Column(name = "prev_hash", length = 64)
  private String prevHash;

  /** SHA-256 of the previous hash and this entry's content: altering either breaks the chain. */
  @Size(max = 64)
  @Column(name = "hash", length = 64)
  private String hash;

  protected AccessLog() {}

  /**
   * An entry the store writes itself.
   *
   * @param userId whose data, or {@link #UNKNOWN_USER}
   * @param principal who asked
   * @param accessType read or write
   * @param collection the collection asked for, if any
   * @param operation what was attempted
   */
  public AccessLog(
      String userId,
      String principal,
      String accessType,
      String collection,
      String operation,
      Instant timestamp,
      String ipAddress,
      boolean success,
      String reason) {
    super(userId);
    this.principal = principal;
    this.accessType = accessType;
    this.collection = collection;
    this.operation = operation;
    this.timestamp = timestamp;
    this.ipAddress = ipAddress;
    this.success = success;
    this.reason = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
  }

  /** Links this entry after the one with the given position and hash. */
  void link(long previousSeq, String previousHash) {
    assignIdentity();
    this.seq = previousSeq + 1;
    this.prevHash = previousHash;
    this.hash = AuditChain.hash(previousHash, canonical());
  }

  /**
   * Everything an entry says, in a fixed order and unambiguous form: what the hash covers. A change
   * to any of it, made anywhere but through the chain, no longer matches the hash.
   */
  String canonical() {
    return String.join(
        "\u001f",
        String.valueOf(getId()),
        getUserId(),
        String.valueOf(principal),
        accessType,
        String.valueOf(collection),
        String.valueOf(operation),
        timestamp.toString(),
        String.valueOf(ipAddress),
        String.valueOf(success),
        String.valueOf(reason),
        String.valueOf(seq));
  }

  Long seq() {
    return seq;
  }

  String prevHash() {
    return prevHash;
  }

  String hash() {
    return hash;
  }
}
