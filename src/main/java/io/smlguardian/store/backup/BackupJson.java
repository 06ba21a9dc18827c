package io.smlguardian.store.backup;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;

/**
 * The backup views as JSON text, written by JSON-B as the REST answers are: for what the jobs keep
 * as their result and what the audit trail records, so that both read as the API does.
 */
public final class BackupJson {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private BackupJson() {}

  public static String of(Object view) {
    return JSONB.toJson(view);
  }

  /** The view as a JSON object, to which an audit entry adds what happened around it. */
  static JsonObject object(Object view) {
    try (var reader = Json.createReader(new StringReader(of(view)))) {
      return reader.readObject();
    }
  }
}
