package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FlushLaneTest {

  private static final int LANES = 4;

  /** Ten requests of twenty records each, of sixty users, in two collections; a few old entries. */
  private static List<JournalEntry> batch() {
    List<JournalEntry> batch = new ArrayList<>();
    long sequence = 0;
    for (int request = 0; request < 10; request++) {
      JournalEntry.Origin origin =
          new JournalEntry.Origin(UUID.randomUUID(), "platform", "10.0.0." + request);
      for (int record = 0; record < 20; record++) {
        batch.add(
            entry(
                ++sequence,
                record % 2 == 0 ? "interactions" : "metrics",
                "user-" + ((request * 7 + record) % 60),
                origin));
      }
    }
    batch.add(entry(++sequence, "interactions", "user-1", null)); // journaled before origins
    batch.add(entry(++sequence, "sessions", null, null));
    return batch;
  }

  private static JournalEntry entry(
      long sequence, String collection, String owner, JournalEntry.Origin origin) {
    return new JournalEntry(
        sequence,
        collection,
        UUID.randomUUID(),
        owner,
        Instant.parse("2026-12-06T10:00:00Z"),
        StoredForm.of(JsonValue.EMPTY_JSON_OBJECT),
        origin);
  }

  @Test
  void everyRecordIsInOneLaneAndEachUsersRecordsInTheSameOneInJournalOrder() {
    List<JournalEntry> batch = batch();
    List<FlushLane> lanes = FlushLane.split(batch, LANES);

    assertThat(lanes).hasSizeBetween(2, LANES);
    List<JournalEntry> all = lanes.stream().flatMap(l -> l.records().stream()).toList();
    assertThat(all).containsExactlyInAnyOrderElementsOf(batch);
    Set<String> seen = new HashSet<>();
    for (FlushLane lane : lanes) {
      Set<String> owners =
          lane.records().stream().map(e -> String.valueOf(e.owner())).collect(Collectors.toSet());
      for (String owner : owners) {
        assertThat(seen.add(owner)).as(owner + " in two lanes").isTrue();
      }
      assertThat(lane.records())
          .as("journal order")
          .isSortedAccordingTo((a, b) -> Long.compare(a.sequence(), b.sequence()));
    }
  }

  @Test
  void eachRequestIsAuditedByOneLaneFromAllItsRecordsWhicheverLanesStoreThem() {
    List<JournalEntry> batch = batch();
    List<FlushLane> lanes = FlushLane.split(batch, LANES);

    List<JournalEntry> audited = lanes.stream().flatMap(l -> l.audited().stream()).toList();
    assertThat(audited)
        .as("every record of a known request, once; none journaled without its origin")
        .containsExactlyInAnyOrderElementsOf(
            batch.stream().filter(e -> e.origin() != null).toList());
    for (FlushLane lane : lanes) {
      Set<UUID> requests =
          lane.audited().stream().map(e -> e.origin().request()).collect(Collectors.toSet());
      for (UUID request : requests) {
        assertThat(lane.audited().stream().filter(e -> e.origin().request().equals(request)))
            .as("all of the request's records, in journal order")
            .containsExactlyElementsOf(
                batch.stream()
                    .filter(e -> e.origin() != null && e.origin().request().equals(request))
                    .toList());
      }
    }
    long requestsAuditedByTwoLanes =
        lanes.stream()
                .flatMap(l -> l.audited().stream().map(e -> e.origin().request()).distinct())
                .count()
            - 10;
    assertThat(requestsAuditedByTwoLanes).isZero();
  }

  @Test
  void theOwnerRowsOfTheRequestsEntriesAreSpreadSoThatTheLanesTakeAboutAsLong() {
    // ten requests of a hundred records of a hundred users each, as the ingest benchmark sends
    List<JournalEntry> batch = new ArrayList<>();
    long sequence = 0;
    for (int request = 0; request < 10; request++) {
      JournalEntry.Origin origin = new JournalEntry.Origin(UUID.randomUUID(), "platform", null);
      for (int record = 0; record < 100; record++) {
        batch.add(entry(++sequence, "interactions", "user-" + (request * 100 + record), origin));
      }
    }

    List<FlushLane> lanes = FlushLane.split(batch, LANES);

    List<Integer> work =
        lanes.stream().map(l -> 2 * l.records().size() + l.audited().size()).toList();
    int mean = work.stream().mapToInt(Integer::intValue).sum() / LANES;
    assertThat(lanes).hasSize(LANES);
    assertThat(work).as("each lane's records (x2) and owner rows").allMatch(w -> w < mean * 1.2);
  }

  @Test
  void theLaneOfAUserDoesNotDependOnTheRun() {
    // String.hashCode is specified: a journal replayed by another run cuts its batches alike
    assertThat(FlushLane.lane("user-1", LANES)).isEqualTo(Math.floorMod(-836031825, LANES));
    assertThat(FlushLane.lane(null, LANES)).isZero();
  }

  @Test
  void oneLaneIsTheWholeBatch() {
    List<JournalEntry> batch = batch();

    assertThat(FlushLane.split(batch, 1))
        .singleElement()
        .satisfies(
            lane -> {
              assertThat(lane.records()).isEqualTo(batch);
              assertThat(lane.audited()).isEqualTo(batch);
            });
  }
}
