package io.smlguardian.store.accesslog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one primitive the audit ledger needs beyond a record store's: placing written entries into a
 * block without touching anything the entries' MACs cover (their version included), which an update
 * of a record would. Each backend's store implements it in its own terms.
 */
public interface LedgerStore {

  /** Where the entries are: the access logs collection's table (or MongoDB collection). */
  String ENTRIES = "access_logs";

  /**
   * Places the entries at positions 0, 1, ... of the block, in the given order, each only while it
   * is in no block yet, within the caller's transaction.
   *
   * @return how many entries were placed
   */
  long placeInBlock(long block, List<UUID> entries);

  /**
   * Takes every entry out of the ledger's blocks (the legacy segment, block 0, aside), so that the
   * sealer places them again: for a restore that replaces the blocks but keeps the entries.
   *
   * @return how many entries were taken out
   */
  long unplaceAll();

  /**
   * The users the owner table lists for each of these entries (see {@link AccessLogOwner}), for the
   * verifier to hold against the users each entry names: a row deleted would hide an entry from its
   * user's reads and export, one added would show it to another. Empty on a store whose reads go by
   * the users the entries name themselves (MongoDB), which has nothing to hold against them.
   */
  Optional<Map<UUID, Set<String>>> listedOwners(Collection<UUID> entries);
}
