package io.smlguardian.store.encryption;

/**
 * Sealed data that cannot be opened: its key was destroyed (the user was erased), or the value was
 * altered or copied elsewhere.
 */
public class UnreadableDataException extends RuntimeException {

  public UnreadableDataException(String message) {
    super(message);
  }
}
