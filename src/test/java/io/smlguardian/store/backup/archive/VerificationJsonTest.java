package io.smlguardian.store.backup.archive;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A verification as JSON-B writes it: the JSON the API answered when it was written by hand,
 * character for character.
 */
class VerificationJsonTest {

  private static final BackupId ID = BackupId.parse("gs-20261126T061500Z-k3j4h5g6");

  @Test
  void eachEntrySaysWhetherItHoldsAndTheProblemsAreListedEntryFirst() {
    Verification verification =
        Verification.of(
            ID,
            null,
            300,
            List.of(
                Verification.EntryCheck.ok(entry("memories", 2)),
                Verification.EntryCheck.damaged(entry("sessions", 1), "block 0 differs")));
    assertThat(verification.valid()).isFalse();
    assertThat(toJson(verification))
        .isEqualTo(
            "{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"valid\":false,\"bytes\":300,"
                + "\"entries\":[{\"name\":\"memories.jsonl.gz\",\"collection\":\"memories\","
                + "\"records\":2,\"bytes\":100,\"ok\":true},{\"name\":\"sessions.jsonl.gz\","
                + "\"collection\":\"sessions\",\"records\":1,\"bytes\":100,\"ok\":false,"
                + "\"problem\":\"block 0 differs\"}],"
                + "\"problems\":[\"sessions.jsonl.gz: block 0 differs\"]}");
  }

  @Test
  void anUnreadableArchiveHasNoEntriesAndOneProblem() {
    assertThat(toJson(Verification.unreadable(ID, 7, "The archive is truncated")))
        .isEqualTo(
            "{\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"valid\":false,\"bytes\":7,"
                + "\"entries\":[],\"problems\":[\"The archive is truncated\"]}");
  }

  private static Manifest.Entry entry(String collection, long records) {
    return new Manifest.Entry(
        collection + ".jsonl.gz",
        collection,
        records,
        100,
        "00",
        List.of("00"),
        0,
        200,
        "00",
        80,
        List.of("id"));
  }
}
