package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Conversions of field values from JSON, from query text, and back to JSON. */
class FieldTypeTest {

  @Test
  void jsonValuesOfTheRightKindConvert() {
    assertThat(FieldType.TEXT.fromJson(Json.createValue("x"))).isEqualTo("x");
    assertThat(FieldType.NUMBER.fromJson(Json.createValue(1))).isEqualTo(1.0);
    assertThat(FieldType.INTEGER.fromJson(Json.createValue(7))).isEqualTo(7L);
    assertThat(FieldType.BOOLEAN.fromJson(JsonValue.TRUE)).isEqualTo(true);
    assertThat(FieldType.TIME.fromJson(Json.createValue("2026-01-31T12:00:00.123456789+01:00")))
        .isEqualTo(Instant.parse("2026-01-31T11:00:00.123456Z"));
    UUID id = UUID.randomUUID();
    assertThat(FieldType.UUID.fromJson(Json.createValue(id.toString()))).isEqualTo(id);
    JsonValue doc = Json.createObjectBuilder().add("a", 1).build();
    assertThat(FieldType.JSON.fromJson(doc)).isEqualTo(doc);
  }

  @Test
  void jsonNullIsJavaNullForEveryKind() {
    for (FieldType type : FieldType.values()) {
      assertThat(type.fromJson(JsonValue.NULL)).isNull();
      assertThat(type.toJson(null)).isEqualTo(JsonValue.NULL);
    }
  }

  @Test
  void jsonValuesOfTheWrongKindAreRefused() {
    assertThatThrownBy(() -> FieldType.TEXT.fromJson(Json.createValue(1)))
        .hasMessage("must be a string");
    assertThatThrownBy(() -> FieldType.NUMBER.fromJson(Json.createValue("1")))
        .hasMessage("must be a number");
    assertThatThrownBy(() -> FieldType.INTEGER.fromJson(Json.createValue(1.5)))
        .hasMessage("must be an integer");
    assertThatThrownBy(() -> FieldType.BOOLEAN.fromJson(Json.createValue("true")))
        .hasMessage("must be true or false");
    assertThatThrownBy(() -> FieldType.TIME.fromJson(Json.createValue("2026-01-31")))
        .hasMessageStartingWith("must be an ISO-8601 instant from year 0001 to 9999");
    assertThatThrownBy(() -> FieldType.UUID.fromJson(Json.createValue("nope")))
        .hasMessage("must be a UUID");
  }

  @Test
  void queryTextParsesToTheSameValues() {
    assertThat(FieldType.NUMBER.parse("0.25")).isEqualTo(0.25);
    assertThat(FieldType.BOOLEAN.parse("false")).isEqualTo(false);
    assertThat(FieldType.TIME.parse("2026-01-31T12:00:00Z"))
        .isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
    assertThatThrownBy(() -> FieldType.NUMBER.parse("NaN")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> FieldType.BOOLEAN.parse("yes")).hasMessageContaining("true or false");
    assertThatThrownBy(() -> FieldType.JSON.parse("{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesRoundTripThroughJson() {
    Instant now = Instant.parse("2026-11-26T10:15:30.123456Z");
    assertThat(FieldType.TIME.fromJson(FieldType.TIME.toJson(now))).isEqualTo(now);
    assertThat(FieldType.NUMBER.fromJson(FieldType.NUMBER.toJson(0.95))).isEqualTo(0.95);
    assertThat(FieldType.INTEGER.toJson(3L)).isEqualTo(Json.createValue(3L));
  }

  @Test
  void entityFieldTypesMapToKinds() {
    assertThat(FieldType.forJavaType(String.class)).isEqualTo(FieldType.TEXT);
    assertThat(FieldType.forJavaType(long.class)).isEqualTo(FieldType.INTEGER);
    assertThat(FieldType.forJavaType(JsonValue.class)).isEqualTo(FieldType.JSON);
    assertThatThrownBy(() -> FieldType.forJavaType(int.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timesAreKeptToTheYearsEveryBackendStores() {
    assertThat(FieldType.TIME.parse("0001-01-01T00:00:00Z"))
        .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    assertThat(FieldType.TIME.parse("9999-12-31T23:59:59.999999Z"))
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
    // Nanoseconds are cut to microseconds first, so the last nanosecond of 9999 is kept too.
    assertThat(FieldType.TIME.parse("9999-12-31T23:59:59.999999999Z"))
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
    for (String outside :
        List.of(
            "+300000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "0000-12-31T23:59:59Z",
            "-0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00")) {
      assertThatThrownBy(() -> FieldType.TIME.parse(outside))
          .as(outside)
          .hasMessageContaining("from year 0001 to 9999");
      assertThatThrownBy(() -> FieldType.TIME.fromJson(Json.createValue(outside)))
          .as(outside)
          .hasMessageStartingWith("must be an ISO-8601 instant from year 0001 to 9999");
    }
  }

  @Test
  void numbersBeyondADoubleAreNoNumbers() {
    assertThatThrownBy(
            () -> FieldType.NUMBER.fromJson(Json.createValue(new java.math.BigDecimal("1e400"))))
        .hasMessage("must be a number");
    assertThatThrownBy(() -> FieldType.NUMBER.parse("1e400")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> FieldType.INTEGER.parse("9223372036854775808"))
        .hasMessageContaining("not an integer");
  }
}
