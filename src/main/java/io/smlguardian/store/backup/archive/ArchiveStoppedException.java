package io.smlguardian.store.backup.archive;

import java.io.IOException;

/** A backup was asked to stop while it was being written; its archive is abandoned. */
public class ArchiveStoppedException extends IOException {

  public ArchiveStoppedException() {
    super("stopped on request; the partial archive was deleted");
  }
}
