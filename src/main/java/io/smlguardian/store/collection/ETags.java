package io.smlguardian.store.collection;

/** Reads the version a client names in If-Match, the only precondition the API supports. */
public final class ETags {

  private ETags() {}

  /**
   * The version named by an If-Match header: null when absent or {@code *} (any current version),
   * else the number in the strong ETag {@code "7"} that the API handed out.
   */
  public static Long expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    String tag = ifMatch.trim();
    if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      try {
        return Long.parseLong(tag.substring(1, tag.length() - 1));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new InvalidRequestException(
        "If-Match must be an ETag this API returned, such as \"3\", or *; got " + ifMatch + ".");
  }
}
