package io.smlguardian.store.collection;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. Each static factory method of {@code jakarta.json.Json}
 * (createValue, createObjectBuilder, createReader...) looks the provider up again, with a
 * ServiceLoader scan of the application's class path; the API benchmark found those look-ups to
 * take a sixth of the server's CPU time, as the kernel builds a few JSON values per field of every
 * record it reads or writes. The kernel's per-request paths use this provider instead; it is
 * thread-safe and keeps no state between calls.
 */
public final class Jsonp {

  public static final JsonProvider PROVIDER = JsonProvider.provider();

  private Jsonp() {}
}
