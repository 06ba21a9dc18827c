package io.smlguardian.store.testsupport;

/**
 * What the server's backend holds, read back through the API's count (a fresh query on every
 * backend: no shared cache answers it), so that the same checks run on every backend.
 */
public final class Stored {

  /**
   * The backend under test, from the {@code guardian.backend} system property that failsafe sets
   * per backend run.
   */
  public static final String BACKEND = System.getProperty("guardian.backend", "postgresql");

  private Stored() {}

  /** How many records the collection holds in all. */
  public static long count(String collection) {
    return count(collection, "");
  }

  /** How many records of the collection match the filter query, e.g. {@code id=eq.<id>}. */
  public static long count(String collection, String filters) {
    Api.Reply reply = Api.get("/api/collections/" + collection + "/count?" + filters);
    if (reply.status() != 200) {
      throw new IllegalStateException("count of " + collection + " failed: " + reply);
    }
    return reply.object().getJsonNumber("count").longValue();
  }
}
