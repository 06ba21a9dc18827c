package io.smlguardian.store.backup;

import java.util.List;

/**
 * The backup variables hold values the service cannot work with; each problem names its variable.
 */
public class InvalidBackupConfigException extends IllegalStateException {

  public InvalidBackupConfigException(List<String> problems) {
    super("Invalid backup configuration: " + String.join("; ", problems));
  }
}
