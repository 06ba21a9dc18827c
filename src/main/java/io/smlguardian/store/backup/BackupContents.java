package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.AuditBlock;
import io.smlguardian.store.accesslog.AuditChainHead;
import io.smlguardian.store.accesslog.AuditLedgerState;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.encryption.UserKeyService;
import io.smlguardian.store.privacy.Erasures;
import io.smlguardian.store.privacy.LegalHoldService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup holds, in the order it is written and restored: the store's own tables first (the
 * record of erasures, which the restore must know before it judges any user's records; legal holds,
 * which the restore must know before it judges expired records; the audit ledger's blocks and
 * state, and the legacy chains' heads, without which the restored trail no longer verifies), then
 * every collection of the registry. One list, so that backup and restore treat all of them by one
 * mechanism.
 *
 * <p>Users' data keys are not in it: an archive that carried them would bring an erased user back
 * wherever it is restored. Sealed fields of a restored archive open with the keys the target store
 * holds (or imports from a key escrow, see {@code KeyEscrow}); a restore leaves those alone.
 */
@ApplicationScoped
public class BackupContents {

  private List<CollectionDescriptor<?>> all;

  protected BackupContents() {}

  @Inject
  public BackupContents(CollectionRegistry collections) {
    List<CollectionDescriptor<?>> contents = new ArrayList<>();
    contents.add(Erasures.ERASURES);
    contents.add(LegalHoldService.HOLDS);
    contents.add(AuditChainHead.HEADS);
    contents.add(AuditBlock.BLOCKS);
    contents.add(AuditLedgerState.LEDGER);
    contents.addAll(collections.all());
    this.all = List.copyOf(contents);
  }

  public List<CollectionDescriptor<?>> all() {
    return all;
  }

  /**
   * Whether an entry of that name, which older archives hold, is ignored by a restore rather than
   * refused: users' data keys ({@code user_keys}).
   */
  public boolean ignored(String name) {
    return UserKeyService.KEYS.name().equals(name);
  }

  /** The one of that name, if a backup may hold it. */
  public java.util.Optional<CollectionDescriptor<?>> named(String name) {
    return all.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
