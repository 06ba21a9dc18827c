package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.security.ReservedIdentities;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One entry of the audit trail: who accessed whose data, how, from where, whether it succeeded and
 * why. The user is the one whose data was accessed; an access to several users' data at once (an
 * ingest request's records) may be one entry naming them all in {@code owners}, with the reserved
 * user {@link #SEVERAL_USERS}. Either way the entry has a row per owner in the owner table, through
 * which every read of one user's entries goes ({@link AccessLogOwner}).
 */
@Entity
@Table(name = "access_logs")
public class AccessLog extends OwnedRecord {

  /** The owner of an entry whose request was refused before it named whose data it wanted. */
  public static final String UNKNOWN_USER = ReservedIdentities.UNKNOWN;

  /** The user of an entry about several users' data, which names them in {@code owners}. */
  public static final String SEVERAL_USERS = ReservedIdentities.SEVERAL;

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

  /**
   * The block of the ledger that sealed this entry, or null while it waits for the sealer (and for
   * entries of the legacy per-user chains, which carry {@code seq} instead).
   */
  @Column(name = "block_no")
  private Long block;

  /** The entry's place in its block, from 0: the order the block's hash covers. */
  @Column(name = "block_pos")
  private Long position;

  /**
   * HMAC of the entry's canonical form under the audit key, made when the entry is written: an
   * entry altered or forged in the database, without the key, no longer matches it.
   */
  @Size(max = 64)
  @Column(name = "mac", length = 64, updatable = false)
  private String mac;

  /**
   * The users whose data the access was about, as a JSON array of their ids in their natural order,
   * when there are several (the user is then {@link #SEVERAL_USERS}); null for an entry of one.
   */
  @Column(name = "owners", updatable = false)
  private JsonValue owners;

  /** Legacy: position in the owner's hash chain, from 1 (entries written before the ledger). */
  @Column(name = "seq")
  private Long seq;

  /** Legacy: the hash of the previous entry of the owner's chain. */
  @Size(max = 64)
  @Column(name = "prev_hash", length = 64)
  private String prevHash;

  /** Legacy: unkeyed SHA-256 of the previous hash and this entry's content. */
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
    describe(principal, accessType, collection, operation, timestamp, ipAddress, success, reason);
  }

  /**
   * An entry written later than the access it records, under an id chosen when the access happened:
   * written again (a replay), it is the same entry, and is stored once.
   */
  AccessLog(
      UUID id,
      String userId,
      String principal,
      String accessType,
      String collection,
      String operation,
      Instant timestamp,
      String ipAddress) {
    super(id, userId);
    describe(principal, accessType, collection, operation, timestamp, ipAddress, true, null);
  }

  /**
   * A successful access to the data of the given users: an entry of that user when there is one,
   * else one entry of {@link #SEVERAL_USERS} naming them all; under the given id (see above), or a
   * new one when it is null.
   */
  AccessLog(
      UUID id,
      Collection<String> users,
      String principal,
      String accessType,
      String collection,
      String operation,
      Instant timestamp,
      String ipAddress) {
    this(
        id,
        users.size() == 1 ? users.iterator().next() : SEVERAL_USERS,
        principal,
        accessType,
        collection,
        operation,
        timestamp,
        ipAddress);
    if (users.size() > 1) {
      JsonArrayBuilder named = Jsonp.PROVIDER.createArrayBuilder();
      new TreeSet<>(users).forEach(named::add);
      this.owners = named.build();
    }
  }

  private void describe(
      String principal,
      String accessType,
      String collection,
      String operation,
      Instant timestamp,
      String ipAddress,
      boolean success,
      String reason) {
    this.principal = fitted(principal, 256);
    this.accessType = fitted(accessType, 64);
    this.collection = fitted(collection, 64);
    this.operation = fitted(operation, 256);
    this.timestamp = timestamp;
    this.ipAddress = fitted(ipAddress, 64);
    this.success = success;
    this.reason = fitted(reason, 1000);
    assignIdentity();
  }

  /** What marks a value cut to fit its column: the entry is kept, and says it is not whole. */
  static final String TRUNCATED = "...[truncated]";

  private static String fitted(String value, int max) {
    return value == null || value.length() <= max
        ? value
        : value.substring(0, max - TRUNCATED.length()) + TRUNCATED;
  }

  /** Makes the entry's MAC, for the version it is written at (1: entries are never updated). */
  void seal(AuditKey key) {
    this.mac = key.mac(AuditKey.ENTRY, canonical(WRITTEN_VERSION));
  }

  /** Whether the entry, as stored now, still matches the MAC it was written with. */
  boolean authentic(AuditKey key) {
    return mac != null && mac.equals(key.mac(AuditKey.ENTRY, canonical(getVersion())));
  }

  /** The version every store gives a record at its insert. */
  static final long WRITTEN_VERSION = 1;

  /**
   * Gives the entry the version an insert gives it, which its MAC covers: for an insert that writes
   * it exactly as it is ({@code RecordStore.insertIfAbsent}).
   */
  void asWritten() {
    AccessLogs.COLLECTION.schema().field("version").orElseThrow().write(this, WRITTEN_VERSION);
  }

  /**
   * Everything an entry says, its identity, creation time and version included, in a fixed order
   * and an unambiguous form (see {@link Canonical}): what the MAC covers.
   */
  byte[] canonical(long version) {
    return new Canonical("guardian-audit-entry/1")
        .add(getId().toString())
        .add(getCreatedAt())
        .add(version)
        .add(getUserId())
        .add(principal)
        .add(accessType)
        .add(collection)
        .add(operation)
        .add(timestamp)
        .add(ipAddress)
        .add(success)
        .add(reason)
        .addAll(owners == null ? null : owners())
        .bytes();
  }

  /**
   * The users the entry is about: its user, or those it names when it is about several (never the
   * reserved {@link #SEVERAL_USERS} itself).
   */
  @Override
  public List<String> owners() {
    if (!(owners instanceof JsonArray named)) {
      return List.of(getUserId());
    }
    return named.stream()
        .map(value -> value instanceof JsonString text ? text.getString() : value.toString())
        .toList();
  }

  /**
   * The legacy chain's form of the entry (unkeyed, field-separated), kept to verify entries written
   * before the ledger.
   */
  String legacyCanonical() {
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

  Long block() {
    return block;
  }

  Long position() {
    return position;
  }

  String mac() {
    return mac;
  }

  Instant timestamp() {
    return timestamp;
  }

  String operation() {
    return operation;
  }

  String principal() {
    return principal;
  }

  boolean succeeded() {
    return success;
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
