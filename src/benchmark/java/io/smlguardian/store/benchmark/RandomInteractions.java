package io.smlguardian.store.benchmark;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random interactions of a population of users, as the load of the API and ingest benchmarks: the
 * same record as the JSON a client posts and as the row that raw JDBC inserts, so that both sides
 * of a comparison write alike. Users are named by a prefix unique to the run, so that a run never
 * meets an earlier run's records.
 */
final class RandomInteractions {

  static final String COLLECTION = "interactions";
  static final String COLUMNS =
      "id, created_at, version, user_id, session_id, type, response_time, agent_mode, timestamp";
  static final String INSERT =
      "INSERT INTO interactions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final List<String> TYPES = List.of("chat", "voice", "task", "reflection");

  private final String userPrefix;
  private final int users;

  /**
   * @param run names the run in every user id (e.g. {@code bench}, {@code ingest-bench})
   * @param users how many users the records are spread over
   */
  RandomInteractions(String run, int users) {
    this.userPrefix = run + "-" + Long.toString(System.currentTimeMillis(), 36) + "-u";
    this.users = users;
  }

  /** The id of the user numbered {@code index} (0 to users - 1). */
  String user(int index) {
    return userPrefix + index;
  }

  String userPrefix() {
    return userPrefix;
  }

  int users() {
    return users;
  }

  String randomUser() {
    return user(ThreadLocalRandom.current().nextInt(users));
  }

  /** {@code count} different users, drawn at random. */
  List<String> randomUsers(int count) {
    if (count > users) {
      throw new IllegalStateException(
          "records of " + count + " users need as many users: raise benchmark.users");
    }
    Set<String> drawn = new LinkedHashSet<>();
    while (drawn.size() < count) {
      drawn.add(randomUser());
    }
    return List.copyOf(drawn);
  }

  static String randomType() {
    return TYPES.get(ThreadLocalRandom.current().nextInt(TYPES.size()));
  }

  /** A new interaction of the user, as the API takes it. */
  static String json(String user) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "{\"userId\":\""
        + user
        + "\",\"sessionId\":\"s"
        + random.nextInt(10)
        + "\",\"type\":\""
        + randomType()
        + "\",\"responseTime\":"
        + random.nextInt(500)
        + ",\"agentMode\":\"mirror\",\"timestamp\":\""
        + Instant.now()
        + "\"}";
  }

  /** {@code count} new interactions, one of each user, as a JSON array. */
  static String jsonArray(List<String> users) {
    StringBuilder body = new StringBuilder("[");
    for (String user : users) {
      body.append(body.length() == 1 ? "" : ",").append(json(user));
    }
    return body.append(']').toString();
  }

  /** Binds a new interaction of the user to {@link #INSERT}. */
  static void bind(PreparedStatement insert, String user) throws SQLException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    insert.setObject(1, UUID.randomUUID());
    insert.setObject(2, now);
    insert.setLong(3, 1);
    insert.setString(4, user);
    insert.setString(5, "s" + random.nextInt(10));
    insert.setString(6, randomType());
    insert.setDouble(7, random.nextInt(500));
    insert.setString(8, "mirror");
    insert.setObject(9, now);
  }
}
