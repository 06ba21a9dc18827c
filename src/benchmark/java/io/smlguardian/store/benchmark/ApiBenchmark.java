package io.smlguardian.store.benchmark;

import io.smlguardian.store.benchmark.LoadRunner.Client;
import io.smlguardian.store.benchmark.LoadRunner.Figures;
import io.smlguardian.store.testsupport.Database;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The collection API against raw JDBC on the same PostgreSQL, in one run ({@code mvn
 * -Pbenchmark-api verify}; not a test). Loads {@code benchmark.users} users with 100 interactions
 * each straight into PostgreSQL, then measures nine operations on the interactions collection at
 * each number of clients in {@code benchmark.clients}: through the service over HTTP, and the same
 * operation done by plain JDBC (one connection per client thread, the statements the store issues
 * for it, without the audit trail and the rest of what the service adds). It also measures two
 * requests that touch no database (a static file, and an API call that needs no store): what any
 * request costs here, which bounds every operation's HTTP/JDBC ratio from above. Prints the tables
 * and writes them to {@code benchmark.output}.
 *
 * <p>Each call picks a user at random; a batch holds 100 records of one user, as a client's flush
 * of one user's session would send. The bulk holds 100 records of 100 different users, as an import
 * or a relay of many users' records would send: the request that records an access for each of 100
 * users at once, which is what it measures beside the batch (the JDBC side writes the same rows
 * either way).
 *
 * <p>Before the operations, every user's first access is measured (one query each): users meet it,
 * and it reads rows no query has read yet through caches that have not seen the user, on a server
 * still compiling. The first access on a warm server is an operation of its own: each call reads
 * the newest 20 records of a user loaded for it, whom no request has touched before. After them,
 * find by id at 16 clients is measured alone and then while a flood of unauthenticated requests (no
 * token, answered 401; {@code benchmark.floodRequests}, 20,000 by default, over 64 connections of
 * their own) runs: what callers without credentials cost the authenticated ones ({@link FloodCase},
 * which the flood benchmark runs on the SQLite server too). The project's target is a p99 with the
 * flood within twice the p99 without; the table prints both and their ratio, and asserts nothing.
 * ({@code benchmark.floodRequests=0} leaves the flood out, {@code benchmark.operations} measures
 * only the operations it names: shorter runs while working on one.)
 *
 * <p>The JDBC side issues what the JPA store issues for the operation: a single insert is one
 * INSERT and a commit; a batch is 100 INSERTs as one JDBC batch in one transaction (the bulk
 * likewise, a different user on each row); find by id one SELECT (of any of a fifth of the records,
 * or of the 500 recently read ones); a page one SELECT ... ORDER BY ... LIMIT; an update reads the
 * record and then updates it where id and version still match, in one transaction (a delete
 * likewise); a count one SELECT COUNT. Reads run in auto-commit.
 */
public final class ApiBenchmark {

  private static final String PATH = "/api/collections/" + RandomInteractions.COLLECTION;
  private static final int PER_USER = 100;
  private static final int BATCH = 100;
  private static final int UPDATE_RING = 20;
  private static final int RECENT = 500;

  private static final String BY_ID =
      "SELECT " + RandomInteractions.COLUMNS + " FROM interactions WHERE id = ?";
  private static final String PAGE =
      "SELECT "
          + RandomInteractions.COLUMNS
          + " FROM interactions WHERE user_id = ? AND type = ?"
          + " ORDER BY timestamp DESC, id ASC LIMIT ? OFFSET ?";
  private static final String UPDATE =
      "UPDATE interactions SET response_time = ?, version = ? WHERE id = ? AND version = ?";
  private static final String DELETE = "DELETE FROM interactions WHERE id = ? AND version = ?";
  private static final String COUNT =
      "SELECT COUNT(id) FROM interactions WHERE user_id = ? AND type = ?";
  private static final String NEWEST =
      "SELECT "
          + RandomInteractions.COLUMNS
          + " FROM interactions WHERE user_id = ? ORDER BY timestamp DESC, id ASC LIMIT 20";

  /** Records of each newcomer: a page of 20 is all of them. */
  private static final int PER_NEWCOMER = 20;

  private final ServiceCalls api;
  private final ServiceCalls operator;
  private final int calls;
  private final int warmup;
  private final int floodRequests;
  private final List<Operation> operations;
  private final List<Integer> clientCounts;
  private final RandomInteractions interactions;

  /**
   * Users whose records are loaded but whom no request touches before the first-access runs, each
   * of which takes the next one: every call of those runs is its user's first.
   */
  private RandomInteractions newcomers;

  private final AtomicInteger nextNewcomer = new AtomicInteger();

  /** Every user's first request, before the server's warm-up. */
  private Figures coldFirstAccess;

  private final List<UUID> spareIds = new ArrayList<>();
  private List<UUID> findIds;
  private List<UUID> recentIds;

  /** The share of each find run's reads that the read cache answered, for the table's footer. */
  private final List<String> cacheShares = new ArrayList<>();

  /** Each operation's runs at each number of clients, for the machine's CPU table. */
  private final List<Measured> measured = new ArrayList<>();

  /**
   * One operation at one number of clients: over HTTP, by JDBC, and the request without the
   * database measured right before it.
   */
  private record Measured(Operation operation, Figures http, Figures jdbc, Figures noDatabase) {}

  private ApiBenchmark() {
    api = ServiceCalls.ofServerUnderTest("api-benchmark", "service");
    operator = ServiceCalls.ofServerUnderTest("api-benchmark-operator", "operator");
    interactions = new RandomInteractions("bench", Integer.getInteger("benchmark.users", 1000));
    calls = Integer.getInteger("benchmark.calls", 2000);
    warmup = Integer.getInteger("benchmark.warmup", 500);
    floodRequests = Integer.getInteger("benchmark.floodRequests", 20000);
    clientCounts = LoadRunner.clientCounts("1,16");
    operations = operations(System.getProperty("benchmark.operations", ""));
  }

  /**
   * The operations named in {@code benchmark.operations} (a comma-separated list of INSERT,
   * BATCH_INSERT, BULK_INSERT, FIND_BY_ID, FIND_RECENT, PAGE, FIRST_ACCESS, UPDATE, DELETE, COUNT),
   * or all of them: a shorter run while working on one of them.
   */
  private static List<Operation> operations(String names) {
    if (names.isBlank()) {
      return List.of(Operation.values());
    }
    return Arrays.stream(names.split(","))
        .map(String::trim)
        .map(n -> Operation.valueOf(n.toUpperCase(Locale.ROOT)))
        .toList();
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.tabled("benchmark-api.md", () -> new ApiBenchmark().run());
  }

  private String run() throws Exception {
    api.awaitReady();
    long loadMillis = load();
    log("loaded " + interactions.users() * PER_USER + " interactions in " + loadMillis + " ms");
    if (operations.contains(Operation.FIRST_ACCESS)) {
      log("loaded " + loadNewcomers() + " newcomers' interactions");
    }
    // Each user's first request (one query each), measured as a case of its own: every user meets
    // it, on rows no query has read yet and through caches that have not seen the user. It runs
    // before the server's warm-up, which would otherwise touch every user first, so its latencies
    // include a server that is still compiling. It also leaves every user having used the service
    // before, the steady state in which the operations below are measured.
    coldFirstAccess =
        LoadRunner.run(
            "first access of each user, on a server not warmed up",
            8,
            0,
            interactions.users(),
            c ->
                i ->
                    api.get(PATH + "?userId=eq." + interactions.user(i * 8 + c) + "&limit=1", 200));
    log(coldFirstAccess.describe());

    // A freshly started server compiles its hot paths during the first tens of thousands of
    // requests, on the cores the measured calls need: every HTTP request runs unmeasured first
    // (with 5,000 calls each, a request without the database still ran at half the rate it reached
    // after 15,000, see the README).
    int serverWarmup = Integer.getInteger("benchmark.serverWarmup", 15000);
    for (Operation operation : operations) {
      int warmCalls = operation.hundredRecords ? serverWarmup / 10 : serverWarmup;
      // A first access warms up on known users: the same request, leaving the newcomers untouched.
      LoadRunner.Clients warming =
          operation == Operation.FIRST_ACCESS
              ? c -> i -> api.get(newestPage(interactions.randomUser()), 200)
              : httpClients(operation, 4, 0, warmCalls);
      log(
          LoadRunner.run(operation.label + " http (server warm-up)", 4, 0, warmCalls, warming)
              .describe());
    }

    // What a request costs with no database in it, measured like the operations: the ceiling of
    // any operation's HTTP/JDBC ratio on this machine (see FloorRequest).
    List<Figures> floors = new ArrayList<>();
    for (FloorRequest floor : FloorRequest.values()) {
      log(
          LoadRunner.run(floor.label + " (server warm-up)", 4, 0, serverWarmup, floor(floor))
              .describe());
      for (int clients : clientCounts) {
        awaitQuietServer();
        Figures figures =
            LoadRunner.run(floor.label, clients, warmup, calls, floor(floor), api::serverCpuNanos);
        log(figures.describe());
        floors.add(figures);
      }
    }

    List<String[]> rows = new ArrayList<>();
    for (Operation operation : operations) {
      for (int clients : clientCounts) {
        int runCalls = operation.hundredRecords ? Math.max(calls / 10, clients) : calls;
        int runWarmup = operation.hundredRecords ? Math.max(warmup / 10, clients) : warmup;
        awaitQuietServer();
        // The request without the database again, right before the operation: this machine's
        // speed drifts by tens of percent within minutes, and a ratio of two runs minutes apart
        // measures the drift as much as the operation.
        Figures beside =
            LoadRunner.run(
                FloorRequest.API_NO_DATABASE.label + ", beside " + operation.label,
                clients,
                warmup,
                calls,
                floor(FloorRequest.API_NO_DATABASE),
                api::serverCpuNanos);
        log(beside.describe());
        long[] cacheBefore = readCacheCounts();
        Figures http =
            LoadRunner.run(
                operation.label + " http",
                clients,
                runWarmup,
                runCalls,
                httpClients(operation, clients, runWarmup, runCalls),
                api::serverCpuNanos);
        log(http.describe());
        if (operation == Operation.FIND_BY_ID || operation == Operation.FIND_RECENT) {
          long[] cacheAfter = readCacheCounts();
          long hits = cacheAfter[0] - cacheBefore[0];
          long reads = hits + cacheAfter[1] - cacheBefore[1];
          String share =
              String.format(
                  Locale.ROOT,
                  "%s at %d clients: %s of %,d",
                  operation.label,
                  clients,
                  percent(reads == 0 ? 0 : (double) hits / reads),
                  reads);
          log("read cache: " + share);
          cacheShares.add(share);
        }
        Figures jdbc =
            LoadRunner.run(
                operation.label + " jdbc",
                clients,
                runWarmup,
                runCalls,
                jdbcClients(operation, clients, runWarmup, runCalls));
        log(jdbc.describe());
        rows.add(row(operation, http, jdbc, beside));
        measured.add(new Measured(operation, http, jdbc, beside));
      }
    }
    if (floodRequests == 0) {
      return table(rows, floors, null);
    }
    FloodCase flood =
        new FloodCase(
            api,
            PATH,
            Operation.FIND_BY_ID.label + " http",
            httpClients(Operation.FIND_BY_ID, FloodCase.CLIENTS, warmup, calls),
            calls,
            warmup,
            floodRequests,
            ApiBenchmark::log);
    return table(rows, floors, flood.run(serverWarmup));
  }

  /**
   * Two requests that touch no database: a static file of the WAR (the web container alone), and
   * the collection list of the API (the same token verification, role check, JAX-RS dispatch and
   * JSON answer as every operation, without the store). No operation can be cheaper than the
   * second, so its calls/s divided by an operation's JDBC calls/s bounds that operation's ratio.
   */
  private enum FloorRequest {
    STATIC_FILE("static file (no database)", "/console/console.css"),
    API_NO_DATABASE("API call without the database", "/api/collections");

    final String label;
    final String path;

    FloorRequest(String label, String path) {
      this.label = label;
      this.path = path;
    }
  }

  private LoadRunner.Clients floor(FloorRequest request) {
    return c -> i -> api.get(request.path, 200);
  }

  /** Lets the server finish compiling before a measured run (at most a minute). */
  private void awaitQuietServer() throws InterruptedException {
    Duration waited = api.awaitQuiet(Duration.ofMinutes(1));
    log(String.format(Locale.ROOT, "server quiet after %.1f s", waited.toMillis() / 1000.0));
  }

  /** The ten operations of the table, in its order. */
  private enum Operation {
    INSERT("single insert", false),
    BATCH_INSERT("batch insert of 100", true),
    BULK_INSERT("bulk of 100, 100 users", true),
    FIND_BY_ID("find by id", false),
    FIND_RECENT("find by id, recently read", false),
    PAGE("filtered sorted page of 20", false),
    FIRST_ACCESS("newest 20 of a user, its first access", false),
    UPDATE("update (If-Match)", false),
    DELETE("delete (If-Match)", false),
    COUNT("count (filtered)", false);

    final String label;

    /**
     * Whether each call carries 100 records: such an operation makes a tenth of the calls (and of
     * the warm-up calls), which still write as many records as the others' calls do.
     */
    final boolean hundredRecords;

    Operation(String label, boolean hundredRecords) {
      this.label = label;
      this.hundredRecords = hundredRecords;
    }
  }

  // ---- the service, over HTTP ----

  private LoadRunner.Clients httpClients(
      Operation operation, int clients, int runWarmup, int runCalls) {
    return switch (operation) {
      case INSERT ->
          c -> i -> api.post(PATH, RandomInteractions.json(interactions.randomUser()), 201);
      case BATCH_INSERT ->
          c ->
              i ->
                  api.post(
                      PATH,
                      RandomInteractions.jsonArray(
                          Collections.nCopies(BATCH, interactions.randomUser())),
                      201);
      case BULK_INSERT ->
          c ->
              i ->
                  api.post(
                      PATH, RandomInteractions.jsonArray(interactions.randomUsers(BATCH)), 201);
      case FIND_BY_ID -> c -> i -> api.get(PATH + "/" + randomFindId(), 200);
      case FIND_RECENT -> c -> i -> api.get(PATH + "/" + randomRecentId(), 200);
      case PAGE ->
          c ->
              i ->
                  api.get(
                      PATH
                          + "?userId=eq."
                          + interactions.randomUser()
                          + "&type=eq."
                          + RandomInteractions.randomType()
                          + "&order=timestamp.desc&limit=20",
                      200);
      case FIRST_ACCESS -> c -> i -> api.get(newestPage(newcomer()), 200);
      case COUNT ->
          c ->
              i ->
                  api.get(
                      PATH
                          + "/count?userId=eq."
                          + interactions.randomUser()
                          + "&type=eq."
                          + RandomInteractions.randomType(),
                      200);
      case UPDATE -> {
        List<List<UUID>> rings = take(clients, UPDATE_RING);
        yield c -> {
          List<UUID> ring = rings.get(c);
          long[] versions = new long[ring.size()];
          Arrays.fill(versions, 1);
          return i -> {
            int slot = i % ring.size();
            versions[slot] =
                ServiceCalls.version(
                    api.patch(
                        PATH + "/" + ring.get(slot),
                        "{\"responseTime\":" + (i % 1000) + "}",
                        versions[slot],
                        200));
          };
        };
      }
      case DELETE -> {
        List<List<UUID>> victims = take(clients, perClient(runWarmup, runCalls, clients));
        yield c -> i -> api.delete(PATH + "/" + victims.get(c).get(i), 1, 204);
      }
    };
  }

  // ---- raw JDBC, one connection per client ----

  private LoadRunner.Clients jdbcClients(
      Operation operation, int clients, int runWarmup, int runCalls) {
    return switch (operation) {
      case INSERT ->
          c ->
              new JdbcClient(false, RandomInteractions.INSERT) {
                @Override
                void call(int i, PreparedStatement[] statements) throws SQLException {
                  RandomInteractions.bind(statements[0], interactions.randomUser());
                  statements[0].executeUpdate();
                }
              };
      case BATCH_INSERT ->
          c ->
              new JdbcClient(false, RandomInteractions.INSERT) {
                @Override
                void call(int i, PreparedStatement[] statements) throws SQLException {
                  String user = interactions.randomUser();
                  for (int r = 0; r < BATCH; r++) {
                    RandomInteractions.bind(statements[0], user);
                    statements[0].addBatch();
                  }
                  statements[0].executeBatch();
                }
              };
      case BULK_INSERT ->
          c ->
              new JdbcClient(false, RandomInteractions.INSERT) {
                @Override
                void call(int i, PreparedStatement[] statements) throws SQLException {
                  for (String user : interactions.randomUsers(BATCH)) {
                    RandomInteractions.bind(statements[0], user);
                    statements[0].addBatch();
                  }
                  statements[0].executeBatch();
                }
              };
      case FIND_BY_ID -> c -> jdbcFind(this::randomFindId);
      case FIND_RECENT -> c -> jdbcFind(this::randomRecentId);
      case PAGE ->
          c ->
              new JdbcClient(true, PAGE) {
                @Override
                void call(int i, PreparedStatement[] statements) throws SQLException {
                  statements[0].setString(1, interactions.randomUser());
                  statements[0].setString(2, RandomInteractions.randomType());
                  statements[0].setInt(3, 20);
                  statements[0].setInt(4, 0);
                  readAll(statements[0]);
                }
              };
      case FIRST_ACCESS ->
          c ->
              new JdbcClient(true, NEWEST) {
                @Override
                void call(int i, PreparedStatement[] statements) throws SQLException {
                  statements[0].setString(1, newcomer());
                  expectRows(statements[0], PER_NEWCOMER);
                }
              };
      case COUNT ->
          c ->
              new JdbcClient(true, COUNT) {
                @Override
                void call(int i, PreparedStatement[] statements) throws SQLException {
                  statements[0].setString(1, interactions.randomUser());
                  statements[0].setString(2, RandomInteractions.randomType());
                  expectRows(statements[0], 1);
                }
              };
      case UPDATE -> {
        List<List<UUID>> rings = take(clients, UPDATE_RING);
        yield c -> {
          List<UUID> ring = rings.get(c);
          long[] versions = new long[ring.size()];
          Arrays.fill(versions, 1);
          return new JdbcClient(false, BY_ID, UPDATE) {
            @Override
            void call(int i, PreparedStatement[] statements) throws SQLException {
              int slot = i % ring.size();
              statements[0].setObject(1, ring.get(slot));
              expectRows(statements[0], 1);
              statements[1].setDouble(1, i % 1000);
              statements[1].setLong(2, versions[slot] + 1);
              statements[1].setObject(3, ring.get(slot));
              statements[1].setLong(4, versions[slot]);
              if (statements[1].executeUpdate() != 1) {
                throw new IllegalStateException("version conflict on " + ring.get(slot));
              }
              versions[slot]++;
            }
          };
        };
      }
      case DELETE -> {
        List<List<UUID>> victims = take(clients, perClient(runWarmup, runCalls, clients));
        yield c ->
            new JdbcClient(false, BY_ID, DELETE) {
              @Override
              void call(int i, PreparedStatement[] statements) throws SQLException {
                UUID id = victims.get(c).get(i);
                statements[0].setObject(1, id);
                expectRows(statements[0], 1);
                statements[1].setObject(1, id);
                statements[1].setLong(2, 1);
                if (statements[1].executeUpdate() != 1) {
                  throw new IllegalStateException("version conflict on " + id);
                }
              }
            };
      }
    };
  }

  /**
   * A client thread's own connection and prepared statements (prepared once, as a statement cache
   * would keep them); writes are committed one call at a time, reads run in auto-commit.
   */
  private abstract static class JdbcClient implements Client {
    private final Connection connection;
    private final PreparedStatement[] statements;
    private final boolean read;

    JdbcClient(boolean read, String... sql) throws SQLException {
      this.read = read;
      connection = Database.connect();
      connection.setAutoCommit(read);
      statements = new PreparedStatement[sql.length];
      for (int s = 0; s < sql.length; s++) {
        statements[s] = connection.prepareStatement(sql[s]);
      }
    }

    abstract void call(int i, PreparedStatement[] statements) throws SQLException;

    @Override
    public void call(int i) throws SQLException {
      call(i, statements);
      if (!read) {
        connection.commit();
      }
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  private static void expectRows(PreparedStatement query, int expected) throws SQLException {
    int rows = readAll(query);
    if (rows != expected) {
      throw new IllegalStateException("expected " + expected + " rows, got " + rows);
    }
  }

  /** Reads every column of every row, as the service does to answer. */
  private static int readAll(PreparedStatement query) throws SQLException {
    int rows = 0;
    try (ResultSet result = query.executeQuery()) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        for (int c = 1; c <= columns; c++) {
          result.getObject(c);
        }
        rows++;
      }
    }
    return rows;
  }

  // ---- data ----

  /**
   * {@code users} users with 100 interactions each, and the ids the operations read, update and
   * delete.
   */
  private long load() throws SQLException {
    long start = System.currentTimeMillis();
    try (Connection c = Database.connect();
        Statement s = c.createStatement()) {
      insertAll(s, interactions, PER_USER);
      List<UUID> ids = new ArrayList<>(interactions.users() * PER_USER);
      try (ResultSet r =
          s.executeQuery(
              "SELECT id FROM interactions WHERE user_id LIKE '"
                  + interactions.userPrefix()
                  + "%' ORDER BY id")) {
        while (r.next()) {
          ids.add(r.getObject(1, UUID.class));
        }
      }
      Collections.shuffle(ids, new Random(42));
      // Finds read a fixed fifth of the rows; updates and deletes take theirs from the rest.
      findIds = List.copyOf(ids.subList(0, ids.size() / 5));
      // Recent reads: a few hundred records read again and again, as the records of the users
      // active at the moment are (a conversation re-reading its latest turns): the read cache's
      // case.
      recentIds = List.copyOf(findIds.subList(0, Math.min(RECENT, findIds.size())));
      spareIds.addAll(ids.subList(ids.size() / 5, ids.size()));
    }
    return System.currentTimeMillis() - start;
  }

  /**
   * Loads the newcomers: enough users for every call, warm-up calls included, of the first-access
   * runs over HTTP and by JDBC at each number of clients, each with {@value #PER_NEWCOMER} records.
   *
   * @return how many records
   */
  private int loadNewcomers() throws SQLException {
    int users = 0;
    for (int clients : clientCounts) {
      users += 2 * clients * perClient(warmup, calls, clients);
    }
    newcomers = new RandomInteractions("bench-new", users);
    try (Connection c = Database.connect();
        Statement s = c.createStatement()) {
      insertAll(s, newcomers, PER_NEWCOMER);
    }
    return users * PER_NEWCOMER;
  }

  /**
   * {@code perUser} interactions of each of the users (a quarter of each type, timestamps one
   * minute apart), written by one statement, then analysed so that the planner knows the table.
   */
  private static void insertAll(Statement s, RandomInteractions users, int perUser)
      throws SQLException {
    s.execute(
        "INSERT INTO interactions ("
            + RandomInteractions.COLUMNS
            + ") SELECT gen_random_uuid(), now(), 1, '"
            + users.userPrefix()
            + "' || (g / "
            + perUser
            + "), 's' || (g % 10), (ARRAY['chat','voice','task','reflection'])[1 + g % 4],"
            + " g % 500, 'mirror', now() - g * interval '1 minute'"
            + " FROM generate_series(0, "
            + (users.users() * perUser - 1)
            + ") g");
    s.execute("VACUUM ANALYZE interactions");
  }

  /** The next user no request has touched. */
  private String newcomer() {
    int next = nextNewcomer.getAndIncrement();
    if (next >= newcomers.users()) {
      throw new IllegalStateException("more first accesses than newcomers loaded");
    }
    return newcomers.user(next);
  }

  /** A user's newest 20 records, of any type. */
  private static String newestPage(String user) {
    return PATH + "?userId=eq." + user + "&order=timestamp.desc&limit=20";
  }

  /** Records no other run touches: {@code perClient} for each of the clients. */
  private List<List<UUID>> take(int clients, int perClient) {
    if (clients * perClient > spareIds.size()) {
      throw new IllegalStateException(
          "not enough loaded records for this run: raise benchmark.users");
    }
    List<List<UUID>> taken = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<UUID> mine = spareIds.subList(0, perClient);
      taken.add(List.copyOf(mine));
      mine.clear();
    }
    return taken;
  }

  private static int perClient(int runWarmup, int runCalls, int clients) {
    return (runWarmup + clients - 1) / clients + (runCalls + clients - 1) / clients;
  }

  /** A JDBC client that selects, by id, the records the ids come from. */
  private JdbcClient jdbcFind(Supplier<UUID> ids) throws SQLException {
    return new JdbcClient(true, BY_ID) {
      @Override
      void call(int i, PreparedStatement[] statements) throws SQLException {
        statements[0].setObject(1, ids.get());
        expectRows(statements[0], 1);
      }
    };
  }

  private UUID randomFindId() {
    return findIds.get(ThreadLocalRandom.current().nextInt(findIds.size()));
  }

  private UUID randomRecentId() {
    return recentIds.get(ThreadLocalRandom.current().nextInt(recentIds.size()));
  }

  /** The read cache's hits and misses so far, from the operator's {@code /api/status}. */
  private long[] readCacheCounts() throws IOException {
    String status = operator.get("/api/status", 200).body();
    try (JsonReader reader = Json.createReader(new StringReader(status))) {
      JsonObject cache = reader.readObject().getJsonObject("readCache");
      return new long[] {
        cache.getJsonNumber("hits").longValue(), cache.getJsonNumber("misses").longValue()
      };
    }
  }

  // ---- the table ----

  private static String[] row(Operation operation, Figures http, Figures jdbc, Figures noDatabase) {
    return new String[] {
      operation.label,
      Integer.toString(http.clients()),
      String.format(Locale.ROOT, "%,.0f", http.callsPerSecond()),
      millis(http.p50Millis()),
      millis(http.p99Millis()),
      String.format(Locale.ROOT, "%,.0f", jdbc.callsPerSecond()),
      millis(jdbc.p50Millis()),
      millis(jdbc.p99Millis()),
      percent(http.callsPerSecond() / jdbc.callsPerSecond()),
      millis(http.cpuMillisPerCall()),
      millis(http.clientCpuMillisPerCall()) + " / " + millis(jdbc.clientCpuMillisPerCall()),
      percent(noDatabase.callsPerSecond() / jdbc.callsPerSecond())
    };
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
  }

  private String table(List<String[]> rows, List<Figures> floors, FloodCase.Runs flood)
      throws SQLException {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "API benchmark, %s, %d cores, PostgreSQL %s on loopback, %,d interactions loaded;"
                + " %,d measured calls per run after %,d warm-up calls (batch and bulk of 100:"
                + " a tenth); latencies in ms%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            Database.single("SHOW server_version"),
            interactions.users() * PER_USER,
            calls,
            warmup));
    out.append(
        "| operation | clients | HTTP calls/s | HTTP p50 | HTTP p99 | JDBC calls/s | JDBC p50 |"
            + " JDBC p99 | HTTP/JDBC calls/s | server CPU ms/call | load generator CPU ms/call,"
            + " HTTP / JDBC | ceiling: no-database API call/JDBC |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nEvery user's first request (a page of one record), before the server's warm-up, so on a"
                + " server still compiling: %,d users at %d clients, %,.0f/s, p50 %s ms, p99 %s"
                + " ms, machine CPU %s ms/call.%n",
            coldFirstAccess.calls(),
            coldFirstAccess.clients(),
            coldFirstAccess.callsPerSecond(),
            millis(coldFirstAccess.p50Millis()),
            millis(coldFirstAccess.p99Millis()),
            millis(coldFirstAccess.machineCpuMillisPerCall())));
    out.append("\nReads by id answered from the read cache (warm-up calls included): ")
        .append(String.join("; ", cacheShares))
        .append(".\n");
    out.append("\nRequests without the database, measured once before the operations (the")
        .append(" ceiling column above divides the calls/s of the second one, measured again right")
        .append(" before each operation, by the operation's JDBC calls/s):\n\n");
    out.append(
        "| request | clients | calls/s | p50 | p99 | server CPU ms/call | load generator CPU"
            + " ms/call | machine CPU ms/call | cores busy |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Figures floor : floors) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %,.0f | %s | %s | %s | %s | %s | %s |%n",
              floor.operation(),
              floor.clients(),
              floor.callsPerSecond(),
              millis(floor.p50Millis()),
              millis(floor.p99Millis()),
              millis(floor.cpuMillisPerCall()),
              millis(floor.clientCpuMillisPerCall()),
              millis(floor.machineCpuMillisPerCall()),
              percent(floor.machineBusyShare())));
    }
    out.append(machineTable());
    if (flood != null) {
      out.append(flood.section());
    }
    return out.toString();
  }

  /**
   * Where the machine's CPU went, per call: the load generator, the server and PostgreSQL share its
   * cores, so an operation over HTTP costs at least what the request without the database costs the
   * machine plus what the same statements cost it by JDBC (the driver's work and the database's).
   * The cores divided by that sum bound what any service issuing those statements could reach on
   * this machine; the last column gives that bound as a share of the request without the database's
   * rate, the measure of the audit ledger issue's targets.
   */
  private String machineTable() {
    int cores = Runtime.getRuntime().availableProcessors();
    StringBuilder out = new StringBuilder();
    out.append("\nThe machine's CPU per call (every process: load generator, server, PostgreSQL),")
        .append(" and the share of its ")
        .append(cores)
        .append(" cores busy during the run; the bound is ")
        .append(cores)
        .append(" cores / (no-database request's + JDBC's machine CPU per call), the most a")
        .append(" service issuing JDBC's statements could reach here, as a share of the")
        .append(" request without the database's calls/s (measured right before the operation,")
        .append(" as every ratio to it here):\n\n");
    out.append(
        "| operation | clients | HTTP machine CPU ms/call | HTTP cores busy | JDBC machine CPU"
            + " ms/call | JDBC cores busy | no-database request beside it, calls/s |"
            + " its machine CPU ms/call | HTTP calls/s / no-database | bound / no-database |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Measured m : measured) {
      double floorCost = m.noDatabase().machineCpuMillisPerCall();
      double bound = cores * 1000 / (floorCost + m.jdbc().machineCpuMillisPerCall());
      double floorRate = m.noDatabase().callsPerSecond();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s | %s | %,.0f | %s | %s | %s |%n",
              m.operation().label,
              m.http().clients(),
              millis(m.http().machineCpuMillisPerCall()),
              percent(m.http().machineBusyShare()),
              millis(m.jdbc().machineCpuMillisPerCall()),
              percent(m.jdbc().machineBusyShare()),
              floorRate,
              millis(floorCost),
              percent(m.http().callsPerSecond() / floorRate),
              percent(bound / floorRate)));
    }
    return out.toString();
  }

  private static String millis(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static void log(String message) {
    System.out.println("[api-benchmark] " + message);
  }
}
