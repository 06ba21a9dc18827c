package io.smlguardian.store.ops;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoreInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The status and jobs views as JSON-B writes them: the JSON the API answered when these views were
 * written by hand, character for character (names, order, nulls written or left out, times).
 */
class StatusJsonTest {

  private static final Instant T1 = Instant.parse("2026-11-26T06:15:00.123Z");
  private static final Instant T2 = Instant.parse("2026-11-26T06:15:07Z");

  private static final StoreInfo.ConnectionPoolFigures POOL =
      new StoreInfo.ConnectionPoolFigures(
          "jdbc/guardian", 50L, 3, 1, 2, null, 7L, "WebSphere:type=ConnectionPoolStats");
  private static final String POOL_JSON =
      "{\"name\":\"jdbc/guardian\",\"size\":3,\"inUse\":1,\"idle\":2,"
          + "\"source\":\"WebSphere:type=ConnectionPoolStats\",\"maxSize\":50,\"created\":null,"
          + "\"destroyed\":7}";
  private static final ConnectionStatus CONNECTION =
      new ConnectionStatus(
          "jdbc:postgresql://h:5432/g", "guardian", "PostgreSQL 18.6", true, 2, null, POOL);
  private static final String CONNECTION_JSON =
      "{\"url\":\"jdbc:postgresql://h:5432/g\",\"user\":\"guardian\","
          + "\"database\":\"PostgreSQL 18.6\",\"reachable\":true,\"latencyMs\":2,\"error\":null,"
          + "\"pool\":"
          + POOL_JSON
          + "}";
  private static final CollectionStatus MEMORIES =
      CollectionStatus.of(
          "memories",
          12,
          StorageSize.of(8192, "pg_total_relation_size"),
          "createdAt",
          T1,
          "P365D",
          T2,
          3);
  private static final String MEMORIES_JSON =
      "{\"name\":\"memories\",\"records\":12,"
          + "\"storage\":{\"measure\":\"pg_total_relation_size\",\"bytes\":8192},"
          + "\"timeField\":\"createdAt\",\"oldest\":\"2026-11-26T06:15:00.123Z\","
          + "\"retention\":{\"period\":\"P365D\",\"cutoff\":\"2026-11-26T06:15:07Z\",\"due\":3,"
          + "\"overdue\":true}}";
  private static final CollectionStatus SESSIONS =
      CollectionStatus.of(
          "sessions", 0, StorageSize.unknown("not measured"), "startedAt", null, "P30D", T2, 0);
  private static final String SESSIONS_JSON =
      "{\"name\":\"sessions\",\"records\":0,"
          + "\"storage\":{\"measure\":\"not measured\",\"bytes\":null},"
          + "\"timeField\":\"startedAt\",\"oldest\":null,"
          + "\"retention\":{\"period\":\"P30D\",\"cutoff\":\"2026-11-26T06:15:07Z\",\"due\":0,"
          + "\"overdue\":false}}";
  private static final JobRun ENDED =
      JobRun.of(
          42,
          7,
          "retention-purge",
          "COMPLETED",
          "COMPLETED",
          T1,
          T2,
          List.of(new JobRun.Step("purge", "COMPLETED", metrics())));
  private static final String ENDED_JSON =
      "{\"executionId\":42,\"instanceId\":7,\"job\":\"retention-purge\",\"status\":\"COMPLETED\","
          + "\"running\":false,\"exitStatus\":\"COMPLETED\",\"start\":\"2026-11-26T06:15:00.123Z\","
          + "\"end\":\"2026-11-26T06:15:07Z\",\"durationMs\":6877,\"steps\":[{\"name\":\"purge\","
          + "\"status\":\"COMPLETED\",\"metrics\":{\"READ_COUNT\":10,\"WRITE_COUNT\":9,"
          + "\"COMMIT_COUNT\":2}}]}";
  private static final JobRun STARTING =
      JobRun.of(43, 8, "backup", "STARTING", null, null, null, List.of());
  private static final String STARTING_JSON =
      "{\"executionId\":43,\"instanceId\":8,\"job\":\"backup\",\"status\":\"STARTING\","
          + "\"running\":true,\"steps\":[]}";

  private static Map<String, Long> metrics() {
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("READ_COUNT", 10L);
    metrics.put("WRITE_COUNT", 9L);
    metrics.put("COMMIT_COUNT", 2L);
    return metrics;
  }

  @Test
  void aPoolWritesTheFiguresItDoesNotCountAsNull() {
    assertThat(toJson(POOL)).isEqualTo(POOL_JSON);
  }

  @Test
  void aConnectionWritesWhatIsUnknownAsNull() {
    assertThat(toJson(CONNECTION)).isEqualTo(CONNECTION_JSON);
    assertThat(
            toJson(
                new ConnectionStatus(
                    "mongodb://h", null, null, false, 30000, "Connection refused", null)))
        .isEqualTo(
            "{\"url\":\"mongodb://h\",\"user\":null,\"database\":null,\"reachable\":false,"
                + "\"latencyMs\":30000,\"error\":\"Connection refused\",\"pool\":null}");
  }

  @Test
  void aCollectionNestsItsStorageAndRetention() {
    assertThat(toJson(MEMORIES)).isEqualTo(MEMORIES_JSON);
    assertThat(toJson(SESSIONS)).isEqualTo(SESSIONS_JSON);
  }

  @Test
  void aJobRunLeavesOutWhatIsNotKnownYet() {
    assertThat(toJson(ENDED)).isEqualTo(ENDED_JSON);
    assertThat(toJson(STARTING)).isEqualTo(STARTING_JSON);
  }

  @Test
  void theStatusTotalsTheCollectionsAndWritesJobsThatNeverRanAsNull() {
    StoreStatus status =
        StoreStatus.of(
            T2,
            "postgresql",
            null,
            CONNECTION,
            List.of(MEMORIES, SESSIONS),
            Optional.of(ENDED),
            Optional.empty(),
            new RecordCache.Figures(1000, 10, 5, 6, 1));
    assertThat(toJson(status))
        .isEqualTo(
            "{\"asOf\":\"2026-11-26T06:15:07Z\",\"backend\":\"postgresql\",\"connection\":"
                + CONNECTION_JSON
                + ",\"collections\":["
                + MEMORIES_JSON
                + ","
                + SESSIONS_JSON
                + "],\"totals\":{\"records\":12,\"due\":3,\"storageBytes\":null},"
                + "\"jobs\":{\"lastBackup\":"
                + ENDED_JSON
                + ",\"lastPurge\":null},"
                + "\"readCache\":{\"capacity\":1000,\"size\":10,\"hits\":5,\"misses\":6,"
                + "\"stale\":1}}");
    StoreStatus sized =
        StoreStatus.of(
            T2,
            "memory",
            "completing a restore's switch that failed midway",
            CONNECTION,
            List.of(MEMORIES),
            Optional.empty(),
            Optional.of(STARTING),
            new RecordCache.Figures(0, 0, 0, 0, 0));
    assertThat(toJson(sized))
        .contains(
            "\"backend\":\"memory\",\"maintenance\":\"completing a restore's switch that"
                + " failed midway\",\"connection\":")
        .contains(
            "\"totals\":{\"records\":12,\"due\":3,\"storageBytes\":8192},"
                + "\"jobs\":{\"lastBackup\":null,\"lastPurge\":"
                + STARTING_JSON
                + "}");
  }

  @Test
  void theJobsListingNamesTheJobsThenTheRuns() {
    assertThat(
            toJson(
                new JobsResource.Recent(List.of("backup", "retention-purge"), List.of(STARTING))))
        .isEqualTo("{\"jobs\":[\"backup\",\"retention-purge\"],\"items\":[" + STARTING_JSON + "]}");
  }
}
