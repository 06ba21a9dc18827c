package io.smlguardian.store.transaction;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The atomic request's answer as JSON-B writes it: the JSON the API answered when it was written by
 * hand, character for character.
 */
class AtomicJsonTest {

  private static final UUID ID = UUID.fromString("6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10");

  @Test
  void aWriteAnswersTheRecordAndADeleteOnlyWhatItDeleted() {
    AtomicResource.Results results =
        new AtomicResource.Results(
            List.of(
                new AtomicOperation.Result(
                    "update",
                    "memories",
                    ID,
                    4L,
                    Json.createObjectBuilder()
                        .add("id", ID.toString())
                        .add("strength", 0.8)
                        .addNull("context")
                        .build()),
                new AtomicOperation.Result("delete", "memories", ID, null, null)));
    assertThat(toJson(results))
        .isEqualTo(
            "{\"results\":[{\"op\":\"update\",\"collection\":\"memories\","
                + "\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"version\":4,"
                + "\"record\":{\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"strength\":0.8,"
                + "\"context\":null}},{\"op\":\"delete\",\"collection\":\"memories\","
                + "\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\"}]}");
  }
}
