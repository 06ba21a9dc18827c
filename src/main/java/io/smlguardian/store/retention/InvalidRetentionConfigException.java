package io.smlguardian.store.retention;

import java.util.List;

/** Retention is misconfigured; raised at start-up so that the application refuses to start. */
public class InvalidRetentionConfigException extends RuntimeException {

  private final List<String> problems;

  public InvalidRetentionConfigException(List<String> problems) {
    super("Invalid retention configuration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
