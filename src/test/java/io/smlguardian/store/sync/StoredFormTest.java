package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.testsupport.GeneratedRecords;
import io.smlguardian.store.testsupport.RegisteredCollections;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A journaled record kept as the record the request validated is written, read back and handed on
 * exactly as the same record kept as JSON.
 */
class StoredFormTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00.123456Z");

  static Stream<CollectionDescriptor<?>> collections() {
    return RegisteredCollections.registry().all().stream();
  }

  @ParameterizedTest
  @MethodSource("collections")
  void aRecordIsWrittenAsItsJsonAndReadsBackWithEveryField(CollectionDescriptor<?> c) {
    check(c);
  }

  private <E extends StoredRecord> void check(CollectionDescriptor<E> c) {
    E original = GeneratedRecords.full(c, "user-1", T0);
    StoredForm kept = StoredForm.of(c, original);
    StoredForm readBack;
    try (JsonReader reader = Jsonp.PROVIDER.createReader(new StringReader(kept.text()))) {
      readBack = StoredForm.of(reader.readObject());
    }

    // written by hand as the provider writes it: the journal's bytes as they were before
    assertThat(kept.text()).isEqualTo(written(kept.toJson()));
    assertThat(readBack.text()).isEqualTo(kept.text());
    assertThat(readBack).isEqualTo(kept);
    for (E copy : List.of(kept.record(c), readBack.record(c))) {
      assertThat(copy).isNotSameAs(original);
      for (FieldDefinition field : c.schema().fields()) {
        assertThat(field.read(copy))
            .as(c.name() + "." + field.name())
            .isEqualTo(field.read(original));
      }
    }
  }

  @Test
  void theCopyHandedOnIsTheCallersToChange() {
    var original = GeneratedRecords.full(Memories.COLLECTION, "user-1", T0);
    StoredForm kept = StoredForm.of(Memories.COLLECTION, original);
    String before = kept.toString();

    FieldDefinition owner =
        Memories.COLLECTION.schema().fields().stream()
            .filter(f -> f.name().equals(OwnedRecord.OWNER_FIELD))
            .findFirst()
            .orElseThrow();
    owner.write(kept.record(Memories.COLLECTION), "someone-else");

    assertThat(kept.record(Memories.COLLECTION).getUserId()).isEqualTo("user-1");
    assertThat(original.getUserId()).isEqualTo("user-1");
    assertThat(kept.toString()).isEqualTo(before);
  }

  @Test
  void aReaderOnlyIsGivenTheKeptRecordItselfOrOneReadFromJson() {
    var original = GeneratedRecords.full(Memories.COLLECTION, "user-1", T0);
    StoredForm kept = StoredForm.of(Memories.COLLECTION, original);
    StoredForm readBack = StoredForm.of(kept.toJson());

    assertThat(kept.readOnly(Memories.COLLECTION)).isSameAs(original);
    assertThat(readBack.readOnly(Memories.COLLECTION).getUserId()).isEqualTo("user-1");
    assertThatThrownBy(() -> kept.readOnly(Interactions.COLLECTION))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecordIsNotReadAsAnotherCollections() {
    StoredForm kept =
        StoredForm.of(Memories.COLLECTION, GeneratedRecords.full(Memories.COLLECTION, "u", T0));

    assertThatThrownBy(() -> kept.record(Interactions.COLLECTION))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The JSON as the provider's generator writes it. */
  private static String written(JsonObject json) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = Jsonp.PROVIDER.createGenerator(text)) {
      generator.write(json);
    }
    return text.toString();
  }
}
