package io.smlguardian.store.backup.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.interaction.Interaction;
import io.smlguardian.store.interaction.Interactions;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A record's line: every field, times in a fixed form that reads back to the same instant. */
class RecordLinesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-26T06:15:00.123456Z",
        "2026-11-26T06:15:00Z",
        "1970-01-01T00:00:00Z",
        "0001-01-01T00:00:00.000001Z",
        "9999-12-31T23:59:59.999999Z",
        "+10000-01-01T00:00:00Z",
        "2026-11-26T06:15:00.123456789Z",
        "1969-12-31T23:59:59.999999Z"
      })
  void timesReadBackToTheSameInstant(String text) throws IOException {
    Instant time = Instant.parse(text);
    Interaction record = interaction(time);

    StringWriter line = new StringWriter();
    RecordLines.write(Interactions.COLLECTION, record, line);
    Interaction read = RecordLines.read(Interactions.COLLECTION, line.toString().trim());

    // To the microsecond, as the store keeps every time.
    assertThat(field("timestamp").read(read)).isEqualTo(time.truncatedTo(ChronoUnit.MICROS));
    assertThat(line.toString()).endsWith("}\n");
  }

  @Test
  void theFixedFormHasSixFractionDigits() throws IOException {
    StringWriter line = new StringWriter();
    RecordLines.write(
        Interactions.COLLECTION, interaction(Instant.parse("2026-11-26T06:15:00Z")), line);

    assertThat(line.toString()).contains("\"timestamp\":\"2026-11-26T06:15:00.000000Z\"");
  }

  @Test
  void aLineThatIsNotARecordIsRefusedNamingWhy() {
    assertThatThrownBy(() -> RecordLines.read(Interactions.COLLECTION, "{\"colour\":\"red\"}"))
        .hasMessageContaining("no field colour in interactions");
    assertThatThrownBy(() -> RecordLines.read(Interactions.COLLECTION, "{\"responseTime\":\"x\"}"))
        .hasMessageContaining("responseTime");
    assertThatThrownBy(() -> RecordLines.read(Interactions.COLLECTION, "{}"))
        .hasMessageContaining("required, but missing");
    assertThatThrownBy(() -> RecordLines.read(Interactions.COLLECTION, "[1"))
        .hasMessageContaining("not a JSON object");
  }

  private static Interaction interaction(Instant time) {
    Interaction record = Interactions.COLLECTION.blankRecord();
    field("id").write(record, UUID.randomUUID());
    field("createdAt").write(record, Instant.parse("2026-11-26T06:15:00.5Z"));
    field("version").write(record, 3L);
    field("userId").write(record, "u1");
    field("sessionId").write(record, "s1");
    field("type").write(record, "chat \"quoted\"");
    field("timestamp").write(record, time);
    return record;
  }

  private static FieldDefinition field(String name) {
    return Interactions.COLLECTION.schema().field(name).orElseThrow();
  }
}
