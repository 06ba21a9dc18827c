package io.smlguardian.store.collection.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.emotionalstate.EmotionalStates;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.session.Sessions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PostgREST-style query grammar: what it accepts, the types it produces, what it refuses. */
class QueryParserTest {

  private final QueryParser parser = new QueryParser(new QueryLimits(100, 1000, 10_000));

  private static Map<String, List<String>> params(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }

  @Test
  void theSeedsMemoryQueryParsesToTypedFiltersOrderPageAndProjection() {
    RecordQuery query =
        parser.query(
            Memories.COLLECTION,
            params(
                "type", "eq.success_pattern",
                "strength", "gte.0.5",
                "order", "strength.desc,timestamp",
                "limit", "20",
                "offset", "40",
                "select", "type,strength,createdAt"));

    assertThat(query.filters())
        .containsExactly(
            new Filter("type", FilterOperator.EQ, false, List.of("success_pattern")),
            new Filter("strength", FilterOperator.GTE, false, List.of(0.5)));
    assertThat(query.order())
        .containsExactly(SortOrder.desc("strength"), SortOrder.asc("timestamp"));
    assertThat(query.limit()).isEqualTo(20);
    assertThat(query.offset()).isEqualTo(40);
    assertThat(query.projection()).containsExactly("type", "strength", "createdAt");
  }

  @Test
  void noParametersMeansAllFieldsFirstPageOfTheDefaultSize() {
    RecordQuery query = parser.query(Memories.COLLECTION, Map.of());

    assertThat(query.filters()).isEmpty();
    assertThat(query.order()).isEmpty();
    assertThat(query.limit()).isEqualTo(100);
    assertThat(query.offset()).isZero();
    assertThat(query.projection()).isEmpty();
  }

  @Test
  void everyOperatorParses() {
    RecordQuery query =
        parser.query(
            EmotionalStates.COLLECTION,
            params(
                "emotion", "neq.anger",
                "emotion", "ne.fear",
                "intensity", "gt.0.1",
                "intensity", "lt.0.9",
                "stability", "lte.1",
                "timestamp", "gte.2026-01-01T00:00:00Z",
                "userId", "in.(u1,\"u,2\",u3)",
                "emotion", "not.eq.joy"));

    assertThat(query.filters())
        .extracting(Filter::operator)
        .containsExactly( // grouped by field, in the order the fields first appear
            FilterOperator.NEQ,
            FilterOperator.NEQ,
            FilterOperator.EQ,
            FilterOperator.GT,
            FilterOperator.LT,
            FilterOperator.LTE,
            FilterOperator.GTE,
            FilterOperator.IN);
    assertThat(query.filters().get(2).negated()).isTrue();
    assertThat(query.filters().get(6).value()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(query.filters().get(7).values()).containsExactly("u1", "u,2", "u3");
  }

  @Test
  void isNullFiltersOnMissingValues() {
    Filter open = parser.filters(Sessions.COLLECTION, params("endTime", "is.null")).get(0);

    assertThat(open.operator()).isEqualTo(FilterOperator.IS);
    assertThat(open.value()).isNull();
  }

  @Test
  void aTextValueMayContainDots() {
    Filter filter = parser.filters(Memories.COLLECTION, params("type", "eq.a.b.c")).get(0);

    assertThat(filter.value()).isEqualTo("a.b.c");
  }

  @Test
  void refusesUnknownFieldsNamingTheKnownOnes() {
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("colour", "eq.red")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Unknown field 'colour'")
        .hasMessageContaining("strength");
  }

  @Test
  void refusesFieldsThatAreNotQueryFields() {
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("patterns", "eq.x")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot be used in a filter");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("order", "metadata")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot be used in a order");
  }

  @Test
  void refusesMalformedFilters() {
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("type", "success")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Malformed filter type=success");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("type", "like.x")))
        .hasMessageContaining("operators: eq, neq, gt, gte, lt, lte, in, is");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("type", "in.a,b")))
        .hasMessageContaining("in needs a list");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("type", "in.(\"a,b)")))
        .hasMessageContaining("unbalanced quote");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("type", "is.true")))
        .hasMessageContaining("is takes null");
  }

  @Test
  void refusesValuesOfTheWrongType() {
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("strength", "gt.strong")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'strong' is not a number");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("timestamp", "lt.yesterday")))
        .hasMessageContaining("is not an ISO-8601 instant");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("id", "eq.42")))
        .hasMessageContaining("is not a UUID");
  }

  @Test
  void refusesPagesOutsideTheLimits() {
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("limit", "1001")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("limit must be an integer from 1 to 1000, got '1001'");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("limit", "0")))
        .hasMessageContaining("limit must be an integer from 1 to 1000");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("offset", "-1")))
        .hasMessageContaining("offset must be an integer of at least 0, got '-1'");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("limit", "ten")))
        .hasMessageContaining("limit must be an integer from 1 to 1000, got 'ten'");
    for (String notAnInt : List.of("x", "1.5", "1e3", "99999999999", "", " 1")) {
      assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("offset", notAnInt)))
          .as(notAnInt)
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e ->
                  assertThat(e.errors())
                      .containsExactly("offset: must be an integer of at least 0"));
    }
  }

  @Test
  void offsetsAreBoundedAndTheRefusalPointsToNarrowingTheQuery() {
    QueryParser shallow = new QueryParser(new QueryLimits(100, 1000, 50));
    assertThat(shallow.query(Memories.COLLECTION, params("offset", "50")).offset()).isEqualTo(50);
    assertThatThrownBy(() -> shallow.query(Memories.COLLECTION, params("offset", "51")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("offset must be an integer from 0 to 50, got '51'")
                  .contains("after=<its id>")
                  .contains("timestamp=lt.");
              assertThat(e.errors()).containsExactly("offset: must be an integer from 0 to 50");
            });
    assertThat(new QueryLimits(100, 1000, QueryLimits.DEFAULT_MAX_OFFSET).maxOffset())
        .isEqualTo(10_000);
  }

  @Test
  void aCursorContinuesTheDefaultOrderFromARecordsId() {
    java.util.UUID id = java.util.UUID.randomUUID();
    RecordQuery query = parser.query(Memories.COLLECTION, params("after", id.toString()));
    assertThat(query.after().id()).isEqualTo(id);
    assertThat(query.after().time()).isNull(); // the service reads it from the record
    assertThat(query.offset()).isZero();
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("after", "42")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).containsExactly("after: must be a record id"));
    for (var combined :
        List.of(
            Map.of("after", List.of(id.toString()), "order", List.of("strength")),
            Map.of("after", List.of(id.toString()), "offset", List.of("5")))) {
      assertThatThrownBy(() -> parser.query(Memories.COLLECTION, combined))
          .as(combined.toString())
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e ->
                  assertThat(e.errors())
                      .containsExactly("after: cannot be combined with order or offset"));
    }
    assertThatThrownBy(() -> parser.filters(Memories.COLLECTION, params("after", id.toString())))
        .hasMessageContaining("does not apply here");
  }

  @Test
  void aPagingParameterIsAnIntegerInItsRangeOrARefusalThatNamesIt() {
    assertThat(QueryParser.integer("limit", "20", 1, 200)).isEqualTo(20);
    assertThat(QueryParser.integer("limit", "200", 1, 200)).isEqualTo(200);
    for (String bad : List.of("abc", "0", "201", "-5", "2147483648", "")) {
      assertThatThrownBy(() -> QueryParser.integer("limit", bad, 1, 200))
          .as(bad)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("limit must be an integer from 1 to 200, got '" + bad + "'.");
    }
    assertThatThrownBy(() -> QueryParser.integer("chunkSize", null, 1, 10))
        .hasMessageStartingWith("chunkSize must be");
  }

  @Test
  void refusesMalformedOrderAndProjection() {
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("order", "strength.up")))
        .hasMessageContaining("Malformed order key");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("order", "type,type.desc")))
        .hasMessageContaining("order names type twice");
    assertThatThrownBy(() -> parser.query(Memories.COLLECTION, params("select", "type,nope")))
        .hasMessageContaining("Unknown field 'nope' in select");
  }

  @Test
  void countTakesFiltersOnly() {
    assertThatThrownBy(() -> parser.filters(Memories.COLLECTION, params("limit", "5")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'limit' does not apply here");
  }
}
