package io.smlguardian.store.collection;

import static io.smlguardian.store.testsupport.Api.get;
import static io.smlguardian.store.testsupport.Api.post;
import static io.smlguardian.store.testsupport.Api.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Api.Reply;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import jakarta.json.Json;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear 4xx problem+json and changes nothing: each case checks the status, the
 * problem document, and that no table changed.
 */
class ErrorApiIT {

  private static final String MEMORIES = "/api/collections/memories";

  private static Reply assertProblem(Reply reply, int status, String detailPart) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    var problem = reply.object();
    assertThat(problem.getInt("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).contains(detailPart);
    assertThat(reply.raw().body()).doesNotContain("at io.smlguardian").doesNotContain("Exception");
    return reply;
  }

  private static long allRows() {
    return Samples.WRITABLE.stream().mapToLong(Stored::count).sum();
  }

  @Test
  void badRequestsAreProblemsAndChangeNothing() {
    String stored =
        post(MEMORIES, Samples.record("memories", "errors-user")).object().getString("id");
    long before = allRows();

    assertProblem(get("/api/collections/dreams"), 404, "There is no collection 'dreams'");
    assertProblem(
        post("/api/collections/dreams", Samples.record("memories", "u")), 404, "dream_cycles");
    assertProblem(get(MEMORIES + "?colour=eq.red"), 400, "Unknown field 'colour'");
    assertProblem(get(MEMORIES + "?patterns=eq.x"), 400, "cannot be used in a filter");
    assertProblem(get(MEMORIES + "?strength=gt"), 400, "Malformed filter");
    assertProblem(get(MEMORIES + "?strength=gt.high"), 400, "'high' is not a number");
    assertProblem(get(MEMORIES + "?limit=100000"), 400, "limit must be an integer from 1 to 1000");
    assertProblem(get(MEMORIES + "?order=strength.sideways"), 400, "Malformed order key");
    assertProblem(get(MEMORIES + "?select=secret"), 400, "Unknown field 'secret'");
    assertProblem(get(MEMORIES + "/count?limit=1"), 400, "does not apply");
    assertProblem(send("POST", MEMORIES, "application/json", "{\"type\": "), 400, "not valid JSON");
    assertProblem(send("POST", MEMORIES, "application/json", ""), 400, "body is empty");
    assertProblem(post(MEMORIES, Json.createValue(3)), 400, "must be a JSON object");
    assertProblem(
        post(
            MEMORIES,
            Json.createObjectBuilder(Samples.record("memories", "u"))
                .add("strength", "strong")
                .build()),
        400,
        "strength: must be a number");
    assertProblem(
        post(
            MEMORIES,
            Json.createObjectBuilder(Samples.record("memories", "u")).add("strength", 7).build()),
        400,
        "strength: must be less than or equal to 1");
    assertProblem(
        post(
            MEMORIES,
            Json.createObjectBuilder(Samples.record("memories", "u")).add("version", 5).build()),
        400,
        "version: is assigned by the store");
    assertProblem(get(MEMORIES + "/" + UUID.randomUUID()), 404, "No record");
    assertProblem(get(MEMORIES + "/not-a-uuid"), 400, "A record id is a UUID");
    assertProblem(
        Api.patch(
            MEMORIES + "/" + stored,
            Json.createObjectBuilder().add("userId", "thief").build(),
            null),
        400,
        "userId: cannot be changed once stored");
    assertProblem(
        Api.patch(
            MEMORIES + "/" + stored, Json.createObjectBuilder().add("strength", 0.1).build(), "7"),
        400,
        "If-Match must be an ETag");
    assertProblem(
        Api.patch(
            MEMORIES + "/" + stored,
            Json.createObjectBuilder().add("strength", 0.1).build(),
            "\"9\""),
        412,
        "is at version 1, not 9");
    assertProblem(Api.delete(MEMORIES + "/" + stored, "\"9\""), 412, "is at version 1, not 9");

    assertThat(allRows()).isEqualTo(before);
    assertThat(get(MEMORIES + "/" + stored).object().getJsonNumber("strength").doubleValue())
        .isEqualTo(0.8);
  }

  @Test
  void theRuntimesOwnRefusalsAreProblemsToo() {
    Reply unknownPath = get("/api/nothing-here");
    assertThat(unknownPath.status()).isEqualTo(404);
    assertThat(unknownPath.contentType()).startsWith("application/problem+json");

    Reply wrongMethod = send("PUT", MEMORIES, "application/json", "{}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.contentType()).startsWith("application/problem+json");

    Reply wrongMediaType = send("POST", MEMORIES, "text/plain", "hello");
    assertThat(wrongMediaType.status()).isEqualTo(415);
    assertThat(wrongMediaType.contentType()).startsWith("application/problem+json");
  }
}
