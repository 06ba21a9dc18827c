package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.testsupport.RegisteredCollections;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.validation.Validation;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The view {@link RecordJson} writes by hand is the API's, character for character: for every
 * collection and every kind of value (escapes, numbers in every notation, times with every fraction
 * length, nulls, sealed fields opened), every field or a projection, it equals the text of the
 * JSON-P object the API built for it before it answered with {@link RecordJson}'s text (the
 * schema's field types' JSON values, protected ones opened, written by the JSON-P provider). A
 * projection cut from the full view ({@link RecordJson#project}, the read cache's) is that text
 * too.
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

  /** The last variant sets no optional field. */
  private static final int VARIANTS =
      Math.max(TEXTS.size(), Math.max(NUMBERS.size(), TIMES.size()));

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

  /**
   * An audit entry about several users names them all to a caller who may read every owner's
   * entries, and only the viewer to a caller confined to one owner's (a user, an export).
   */
  @Test
  void anEntryAboutSeveralUsersNamesTheViewerAloneToAConfinedCaller() throws IOException {
    CollectionDescriptor<?> logs = AccessLogs.COLLECTION;
    StoredRecord entry = record(logs, 0);
    logs.schema()
        .field(RecordOwner.NAMED_OWNERS_FIELD)
        .orElseThrow()
        .write(entry, Json.createArrayBuilder().add("ann").add("bob").add("cy").build());

    String all = mapper.view(logs, entry, List.of());
    String toBob = mapper.view(logs, entry, List.of(), Optional.of("bob"));
    StringWriter exported = new StringWriter();
    mapper.writeJson(logs, entry, "bob", exported);

    assertThat(all).contains("\"owners\":[\"ann\",\"bob\",\"cy\"]");
    assertThat(toBob).contains("\"owners\":[\"bob\"]").doesNotContain("ann").doesNotContain("cy");
    assertThat(exported.toString()).isEqualTo(toBob);
  }

  @Test
  void theViewIsTheApisTextForEveryKindOfValue() throws IOException {
    for (CollectionDescriptor<?> collection : ALL) {
      for (int variant = 0; variant <= VARIANTS; variant++) {
        StoredRecord record = record(collection, variant);
        String expected = jsonp(collection, record, List.of());

        StringWriter written = new StringWriter();
        mapper.writeJson(collection, record, "a-viewer", written);

        String as = collection.name() + " variant " + variant;
        assertThat(written.toString())
            .as(as)
            .isEqualTo(mapper.view(collection, record, List.of(), Optional.of("a-viewer")));
        assertThat(mapper.view(collection, record, List.of())).as(as).isEqualTo(expected);
        if (collection.ownerTable().isEmpty()) {
          assertThat(written.toString()).as(as).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aProjectionIsTheApisTextWrittenOrCutFromTheFullView() {
    for (CollectionDescriptor<?> collection : ALL) {
      for (int variant = 0; variant <= VARIANTS; variant++) {
        StoredRecord record = record(collection, variant);
        String full = mapper.view(collection, record, List.of());
        for (List<String> projection : projections(collection)) {
          String expected = jsonp(collection, record, projection);
          String as = collection.name() + " variant " + variant + " " + projection;

          assertThat(mapper.view(collection, record, projection)).as(as).isEqualTo(expected);
          assertThat(RecordJson.project(full, projection)).as(as).isEqualTo(expected);
        }
      }
    }
  }

  /**
   * Each field alone, every other field named in reverse order (the view keeps the schema's), and
   * every field named.
   */
  private static List<List<String>> projections(CollectionDescriptor<?> collection) {
    List<String> names = collection.schema().fields().stream().map(FieldDefinition::name).toList();
    List<List<String>> projections = new ArrayList<>();
    names.forEach(name -> projections.add(List.of(name)));
    List<String> everyOther = new ArrayList<>();
    for (int i = names.size() - 1; i >= 0; i -= 2) {
      everyOther.add(names.get(i));
    }
    projections.add(everyOther);
    projections.add(names);
    return projections;
  }

  /**
   * The JSON-P object's text the API answered before: the projected fields in schema order, each
   * the JSON value of its field type, protected ones opened.
   */
  private static String jsonp(
      CollectionDescriptor<?> collection, StoredRecord record, List<String> projection) {
    String owner = record instanceof OwnedRecord owned ? owned.getUserId() : null;
    JsonObjectBuilder json = Json.createObjectBuilder();
    for (FieldDefinition field : collection.schema().fields()) {
      if (projection.isEmpty() || projection.contains(field.name())) {
        JsonValue value = field.type().toJson(field.read(record));
        if (FieldProtection.isProtected(collection, field) && value != JsonValue.NULL) {
          value = MARKING.open(collection, owner, field.name(), value);
        }
        json.add(field.name(), value);
      }
    }
    return json.build().toString();
  }

  /** The ingest journal's form: what the provider writes for the stored values, nothing opened. */
  @Test
  void theProviderFormIsTheProvidersTextOfTheStoredValues() throws IOException {
    for (CollectionDescriptor<?> collection : ALL) {
      for (int variant = 0; variant <= VARIANTS; variant++) {
        StoredRecord record = record(collection, variant);
        JsonObjectBuilder stored = Json.createObjectBuilder();
        for (FieldDefinition field : collection.schema().fields()) {
          stored.add(field.name(), field.type().toJson(field.read(record)));
        }

        TextWriter written = new TextWriter(16);
        RecordJson.writeProviderForm(collection, record, written);

        assertThat(written.toString())
            .as(collection.name() + " variant " + variant)
            .isEqualTo(stored.build().toString())
            .doesNotContain("opened");
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
    boolean nulls = variant == VARIANTS;
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
