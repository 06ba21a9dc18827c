package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.testsupport.RegisteredCollections;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.validation.Validation;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The view {@link RecordJson} writes by hand is the API's, character for character: for every
 * collection and every kind of value (escapes, numbers in every notation, times with every fraction
 * length, nulls, sealed fields opened), it equals the text of {@link RecordMapper#toJson}.
 */
class RecordJsonTest {

  private static final List<CollectionDescriptor<?>> ALL = RegisteredCollections.registry().all();

  private static final List<String> TEXTS =
      List.of(
          "plain",
          "",
          "quote \" backslash \\ slash /",
          "controls \b \f \n \r \t \u0000 \u0001 \u001f \u007f",
          "unicode é ß 漢字 😀 \u2028",
          "</script>");

  private static final List<Double> NUMBERS =
      List.of(
          0.0,
          -0.0,
          0.5,
          1.0,
          -3.25,
          100.0,
          1234567.0,
          12345678.9,
          1e-3,
          1e-5,
          1.5e-7,
          1e20,
          Double.MIN_VALUE,
          Double.MAX_VALUE,
          0.1 + 0.2);

  private static final List<String> TIMES =
      List.of(
          "2026-11-26T06:15:00Z",
          "2026-11-26T06:15:00.100Z",
          "2026-11-26T06:15:00.123456Z",
          "2026-11-26T06:15:00.000001Z",
          "2026-11-26T06:15:00.123456789Z",
          "0001-01-01T00:00:00Z",
          "9999-12-31T23:59:59.999999Z",
          "1969-12-31T23:59:59.5Z",
          "+10000-01-01T00:00:00Z");

  /** Marks what it opened, so the test sees that the view opens exactly the protected fields. */
  private static final FieldProtection MARKING =
      new FieldProtection() {
        @Override
        public Sealer sealer(CollectionDescriptor<?> collection, String owner) {
          return (field, clear) -> clear;
        }

        @Override
        public JsonValue open(
            CollectionDescriptor<?> collection, String owner, String field, JsonValue stored) {
          return Json.createArrayBuilder()
              .add("opened " + field + " of " + owner)
              .add(stored)
              .build();
        }

        @Override
        public java.time.Duration clearValueLifetime() {
          return java.time.Duration.ZERO;
        }
      };

  private final RecordMapper mapper =
      new RecordMapper(Validation.buildDefaultValidatorFactory().getValidator(), MARKING);

  @Test
  void theViewIsTheApisTextForEveryKindOfValue() throws IOException {
    int variants = Math.max(TEXTS.size(), Math.max(NUMBERS.size(), TIMES.size()));
    for (CollectionDescriptor<?> collection : ALL) {
      for (int variant = 0; variant <= variants; variant++) {
        StoredRecord record = record(collection, variant);

        StringWriter written = new StringWriter();
        mapper.writeJson(collection, record, written);

        assertThat(written.toString())
            .as(collection.name() + " variant " + variant)
            .isEqualTo(mapper.toJson(collection, record, List.of()).toString());
      }
    }
  }

  @Test
  void theStoredFormLeavesSealedFieldsAsStoredAndTimesFixed() throws IOException {
    StoredRecord record = record(Memories.COLLECTION, 0);
    FieldDefinition patterns = Memories.COLLECTION.schema().field("patterns").orElseThrow();
    patterns.write(record, Json.createValue("gse1:sealed"));

    StringWriter written = new StringWriter();
    RecordJson.writeStored(Memories.COLLECTION, record, written);

    assertThat(written.toString())
        .contains("\"patterns\":\"gse1:sealed\"")
        .contains("\"createdAt\":\"2026-11-26T06:15:00.000000Z\"")
        .doesNotContain("opened");
  }

  /**
   * A record with every field set from the variant's values (the last variant: every optional field
   * null).
   */
  private static StoredRecord record(CollectionDescriptor<?> collection, int variant) {
    StoredRecord record = collection.blankRecord();
    boolean nulls = variant > Math.max(TEXTS.size(), Math.max(NUMBERS.size(), TIMES.size())) - 1;
    for (FieldDefinition field : collection.schema().fields()) {
      if (nulls && !field.required() && field.access() != FieldDefinition.Access.GENERATED) {
        continue;
      }
      field.write(record, value(field, variant));
    }
    return record;
  }

  private static Object value(FieldDefinition field, int variant) {
    return switch (field.type()) {
      case TEXT -> TEXTS.get(variant % TEXTS.size()) + " " + field.name();
      case NUMBER -> NUMBERS.get(variant % NUMBERS.size());
      case INTEGER -> variant % 2 == 0 ? (long) variant : Long.MIN_VALUE + variant;
      case BOOLEAN -> variant % 2 == 0;
      case TIME ->
          field.name().equals("createdAt")
              ? Instant.parse("2026-11-26T06:15:00Z")
              : Instant.parse(TIMES.get(variant % TIMES.size()));
      case UUID -> new UUID(variant, 42);
      case JSON ->
          Json.createObjectBuilder()
              .add("text", TEXTS.get(variant % TEXTS.size()))
              .add("number", NUMBERS.get(variant % NUMBERS.size()))
              .add("list", Json.createArrayBuilder().add(1).add(JsonValue.NULL).add(true))
              .build();
    };
  }
}
