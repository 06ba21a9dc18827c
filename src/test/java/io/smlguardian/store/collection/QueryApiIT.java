package io.smlguardian.store.collection;

import static io.smlguardian.store.testsupport.Api.get;
import static io.smlguardian.store.testsupport.Api.post;
import static io.smlguardian.store.testsupport.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query options (filter, order, limit/offset, projection, count) and the seed's typed reads,
 * over HTTP on data seeded for one user beside another user's.
 */
class QueryApiIT {

  private static final String USER = "query-user-" + UUID.randomUUID();
  private static final String OTHER = "query-other-" + UUID.randomUUID();
  private static final String SESSION = "session-" + UUID.randomUUID();
  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  /**
   * One insert per record: the seed must work on every backend, and mongodb refuses inserts of
   * several records (no transactions).
   */
  private static void insertEach(String collection, JsonArray records) {
    for (JsonValue record : records) {
      Reply created = post("/api/collections/" + collection, record);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
  }

  @BeforeAll
  static void seed() {
    var memories = Json.createArrayBuilder();
    String[] types = {
      "success_pattern", "failure_pattern", "success_pattern", "habit", "success_pattern"
    };
    double[] strengths = {0.5, 0.9, 0.7, 0.2, 0.95};
    for (int i = 0; i < types.length; i++) {
      memories.add(
          Json.createObjectBuilder()
              .add("userId", USER)
              .add("type", types[i])
              .add("strength", strengths[i])
              .add("timestamp", T0.plusSeconds(60L * i).toString()));
    }
    memories.add(
        Json.createObjectBuilder()
            .add("userId", OTHER)
            .add("type", "success_pattern")
            .add("strength", 0.99)
            .add("timestamp", T0.toString()));
    insertEach("memories", memories.build());

    var emotions = Json.createArrayBuilder();
    String[] feelings = {"calm", "joy", "sadness", "joy"};
    for (int i = 0; i < feelings.length; i++) {
      emotions.add(
          Json.createObjectBuilder()
              .add("userId", USER)
              .add("emotion", feelings[i])
              .add("intensity", 0.1 * (i + 1))
              .add("timestamp", T0.plusSeconds(3600L * i).toString()));
    }
    insertEach("emotional_states", emotions.build());

    var interactions = Json.createArrayBuilder();
    for (int i = 0; i < 3; i++) {
      interactions.add(
          Json.createObjectBuilder()
              .add("userId", USER)
              .add("sessionId", i < 2 ? SESSION : "another-session")
              .add("type", "chat")
              .add("responseTime", 10.0 + i)
              .add("timestamp", T0.plusSeconds(i).toString()));
    }
    insertEach("interactions", interactions.build());

    var sessions = Json.createArrayBuilder();
    sessions.add(
        Json.createObjectBuilder()
            .add("userId", USER)
            .add("sessionId", SESSION)
            .add("startTime", T0.toString()));
    sessions.add(
        Json.createObjectBuilder()
            .add("userId", USER)
            .add("sessionId", "another-session")
            .add("startTime", T0.toString())
            .add("endTime", T0.plusSeconds(600).toString()));
    insertEach("sessions", sessions.build());
  }

  private static List<Object> values(Reply reply, String field) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.items().stream()
        .map(JsonValue::asJsonObject)
        .map(
            o ->
                o.get(field).getValueType() == JsonValue.ValueType.NUMBER
                    ? (Object) o.getJsonNumber(field).doubleValue()
                    : (Object) o.getString(field))
        .toList();
  }

  @Test
  void aUsersMemoriesOfOneTypeByStrongestFirst() {
    Reply reply =
        get(
            "/api/collections/memories?userId=eq."
                + q(USER)
                + "&type=eq.success_pattern&order=strength.desc");

    assertThat(values(reply, "strength")).containsExactly(0.95, 0.7, 0.5);
  }

  @Test
  void aUsersEmotionalHistoryNewestFirstIsTheDefaultOrder() {
    Reply reply = get("/api/collections/emotional_states?userId=eq." + q(USER));

    assertThat(values(reply, "emotion")).containsExactly("joy", "sadness", "joy", "calm");
  }

  @Test
  void aSessionsInteractions() {
    Reply reply =
        get("/api/collections/interactions?sessionId=eq." + q(SESSION) + "&order=timestamp.asc");

    assertThat(values(reply, "responseTime")).containsExactly(10.0, 11.0);
  }

  @Test
  void aUsersAccessLogsFilteredBySuccess() {
    String memory =
        get("/api/collections/memories?userId=eq." + q(USER) + "&limit=1")
            .items()
            .getJsonObject(0)
            .getString("id");
    String intruder = "intruder-" + UUID.randomUUID();
    assertThat(
            io.smlguardian.store.testsupport.Api.as(
                    io.smlguardian.store.testsupport.TestTokens.token(intruder, "user"))
                .get("/api/collections/memories/" + memory)
                .status())
        .isEqualTo(404); // another user's record is answered as a missing one

    Reply inserts =
        get("/api/collections/access_logs?userId=eq." + q(USER) + "&operation=eq.insert");
    Reply failed = get("/api/collections/access_logs?userId=eq." + q(USER) + "&success=is.false");

    // One entry per insert request of the seed: memories, emotions, interactions, sessions.
    assertThat(values(inserts, "collection"))
        .containsOnly("memories", "emotional_states", "interactions", "sessions")
        .contains("memories", "emotional_states", "interactions", "sessions");
    assertThat(values(failed, "principal")).containsExactly(intruder);
  }

  @Test
  void comparisonsInAndNegation() {
    String base = "/api/collections/memories?userId=eq." + q(USER) + "&order=strength";
    assertThat(values(get(base + "&strength=gte.0.7"), "strength")).containsExactly(0.7, 0.9, 0.95);
    assertThat(values(get(base + "&strength=gt.0.2&strength=lt.0.9"), "strength"))
        .containsExactly(0.5, 0.7);
    assertThat(values(get(base + "&strength=lte.0.5"), "strength")).containsExactly(0.2, 0.5);
    assertThat(values(get(base + "&type=" + q("in.(habit,failure_pattern)")), "type"))
        .containsExactly("habit", "failure_pattern");
    assertThat(values(get(base + "&type=neq.success_pattern"), "type"))
        .containsExactly("habit", "failure_pattern");
    assertThat(values(get(base + "&type=not.eq.success_pattern"), "type"))
        .containsExactly("habit", "failure_pattern");
    String after = T0.plusSeconds(120).toString();
    assertThat(get(base + "&timestamp=gte." + q(after)).items()).hasSize(3);
  }

  @Test
  void pagesAreStableAndDisjoint() {
    String base = "/api/collections/memories?userId=eq." + q(USER) + "&order=type&limit=2";
    List<String> ids = new java.util.ArrayList<>();
    for (int offset = 0; offset < 6; offset += 2) {
      Reply page = get(base + "&offset=" + offset);
      assertThat(page.object().getInt("offset")).isEqualTo(offset);
      page.items().forEach(item -> ids.add(item.asJsonObject().getString("id")));
    }

    assertThat(ids).hasSize(5).doesNotHaveDuplicates();
  }

  @Test
  void projectionReturnsOnlyTheSelectedFields() {
    Reply reply =
        get("/api/collections/memories?userId=eq." + q(USER) + "&select=type,strength&limit=1");

    JsonObject item = reply.items().getJsonObject(0);
    assertThat(item.keySet()).containsExactly("type", "strength");
  }

  @Test
  void countHonoursFilters() {
    Reply count =
        get("/api/collections/memories/count?userId=eq." + q(USER) + "&type=eq.success_pattern");

    assertThat(count.object().getInt("count")).isEqualTo(3);
  }

  @Test
  void openSessionsHaveNoEndTime() {
    Reply open = get("/api/collections/sessions?userId=eq." + q(USER) + "&endTime=is.null");
    Reply closed = get("/api/collections/sessions?userId=eq." + q(USER) + "&endTime=not.is.null");

    assertThat(values(open, "sessionId")).containsExactly(SESSION);
    assertThat(values(closed, "sessionId")).containsExactly("another-session");
  }
}
