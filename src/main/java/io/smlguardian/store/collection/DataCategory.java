package io.smlguardian.store.collection;

/**
 * The seed's data categories. Sensitivity decides how carefully a category is handled (encryption
 * at rest, export, audit); the label is the seed's own name for it.
 */
public enum DataCategory {
  MEMORY("memory", true),
  PROFILE_DATA("profile-data", true),
  EMOTIONAL_STATE("emotional-state", true),
  INTERACTION_HISTORY("interaction-history", false),
  AUDIT_LOG("audit-log", false),
  SYSTEM_CONFIG("system-config", false);

  private final String label;
  private final boolean sensitive;

  DataCategory(String label, boolean sensitive) {
    this.label = label;
    this.sensitive = sensitive;
  }

  public String label() {
    return label;
  }

  public boolean sensitive() {
    return sensitive;
  }
}
