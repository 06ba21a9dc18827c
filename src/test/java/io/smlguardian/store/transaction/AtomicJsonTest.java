package io.smlguardian.store.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The atomic request's answer as it is written, the records' texts joined as they are: the JSON the
 * API answered when JSON-B wrote it from JSON-P objects, character for character.
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
                    "{\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"strength\":0.8,"
                        + "\"context\":null}"),
                new AtomicOperation.Result("delete", "memories", ID, null, null)));
    assertThat(results.json())
        .isEqualTo(
            "{\"results\":[{\"op\":\"update\",\"collection\":\"memories\","
                + "\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"version\":4,"
                + "\"record\":{\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"strength\":0.8,"
                + "\"context\":null}},{\"op\":\"delete\",\"collection\":\"memories\","
                + "\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\"}]}");
  }
}
