package io.smlguardian.store.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.InvalidRequestException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reading the operations of an atomic request, and refusing malformed ones before any write. */
class AtomicOperationTest {

  private static final String ID = "3f1c1b8e-1d3a-4c55-9a59-7b4c1d3c9a11";

  @Test
  void readsInsertsUpdatesAndDeletes() {
    JsonObject record = Json.createObjectBuilder().add("type", "x").build();

    assertThat(
            AtomicOperation.parse(
                Json.createObjectBuilder()
                    .add("op", "insert")
                    .add("collection", "memories")
                    .add("record", record)
                    .build(),
                "operations[0]"))
        .isEqualTo(new AtomicOperation.Insert("memories", record));
    assertThat(
            AtomicOperation.parse(
                Json.createObjectBuilder()
                    .add("op", "update")
                    .add("collection", "memories")
                    .add("id", ID)
                    .add("version", 2)
                    .add("changes", record)
                    .build(),
                "operations[1]"))
        .isEqualTo(new AtomicOperation.Update("memories", UUID.fromString(ID), 2L, record));
    assertThat(
            AtomicOperation.parse(
                Json.createObjectBuilder()
                    .add("op", "delete")
                    .add("collection", "memories")
                    .add("id", ID)
                    .build(),
                "operations[2]"))
        .isEqualTo(new AtomicOperation.Delete("memories", UUID.fromString(ID), null));
  }

  @Test
  void refusesMalformedOperationsNamingWhere() {
    assertThatThrownBy(() -> parse("{\"op\":\"upsert\",\"collection\":\"memories\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("operations[3].op must be insert, update or delete, got 'upsert'.");
    assertThatThrownBy(() -> parse("{\"op\":\"insert\",\"collection\":\"memories\"}"))
        .hasMessage("operations[3].record is missing.");
    assertThatThrownBy(() -> parse("{\"op\":\"delete\",\"collection\":\"memories\",\"id\":\"x\"}"))
        .hasMessage("operations[3].id must be a UUID.");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"op\":\"delete\",\"collection\":\"memories\",\"id\":\""
                        + ID
                        + "\",\"version\":\"2\"}"))
        .hasMessage("operations[3].version must be an integer.");
    assertThatThrownBy(
            () -> parse("{\"op\":\"insert\",\"collection\":\"memories\",\"record\":{},\"x\":1}"))
        .hasMessageContaining("unexpected member 'x'");
    assertThatThrownBy(() -> parse("[1]")).hasMessage("operations[3] must be a JSON object.");
  }

  private static AtomicOperation parse(String json) {
    return AtomicOperation.parse(
        Json.createReader(new java.io.StringReader(json)).readValue(), "operations[3]");
  }
}
