package io.smlguardian.store.testsupport;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * JSON-B as the server writes the views that resources return: Yasson with its default
 * configuration (the application registers no JsonbConfig).
 */
public final class ServerJsonb {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private ServerJsonb() {}

  public static String toJson(Object view) {
    return JSONB.toJson(view);
  }
}
