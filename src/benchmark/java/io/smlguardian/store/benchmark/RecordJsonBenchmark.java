package io.smlguardian.store.benchmark;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.RecordJson;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why records are written as JSON by hand ({@link RecordJson}, the one writer of the API's views,
 * exports and backup lines): the same records written, in one run, by it and by what it replaced, a
 * JSON-P object built per record from the schema's field types and then written as text (as the API
 * built its views before). Both write to a writer that only counts characters, so that only the
 * writing is measured; in process, no server. Run with {@code mvn -o -q -Pbenchmark-json
 * test-compile exec:java@benchmark} ({@code -Dbenchmark.records=}, default 200,000 of each of two
 * collections; {@code -Dbenchmark.rounds=}, default 5 after 3 warm-up).
 */
public final class RecordJsonBenchmark {

  private static final int RECORDS = Integer.getInteger("benchmark.records", 200_000);
  private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);
  private static final int WARMUP = 3;

  private RecordJsonBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.tabled("benchmark-json.md", RecordJsonBenchmark::measure);
  }

  private static String measure() throws IOException {
    StringBuilder table = new StringBuilder();
    table
        .append("Record JSON writer benchmark, ")
        .append(LocalDate.now())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, one thread, in process; ")
        .append(String.format(Locale.ROOT, "%,d", RECORDS))
        .append(" records per collection, best of ")
        .append(ROUNDS)
        .append(" rounds after ")
        .append(WARMUP)
        .append(" warm-up rounds\n\n")
        .append("| collection | writer | records/s | characters per record | vs JSON-P |\n")
        .append("|---|---|---:|---:|---:|\n");
    for (CollectionDescriptor<?> collection :
        List.of(Interactions.COLLECTION, Memories.COLLECTION)) {
      List<StoredRecord> records = records(collection);
      Measured byHand =
          best(records, (record, out) -> RecordJson.writeStored(collection, record, out));
      Measured jsonp =
          best(records, (record, out) -> out.write(jsonp(collection, record).toString()));
      row(table, collection, "RecordJson (by hand)", byHand, jsonp);
      row(table, collection, "JSON-P object, then text", jsonp, jsonp);
    }
    return table.toString();
  }

  private static void row(
      StringBuilder table,
      CollectionDescriptor<?> collection,
      String writer,
      Measured measured,
      Measured baseline) {
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %,.0f | %d | %.0f%% |%n",
            collection.name(),
            writer,
            measured.recordsPerSecond(),
            measured.characters() / RECORDS,
            100 * measured.recordsPerSecond() / baseline.recordsPerSecond()));
  }

  /** One way of writing a record as JSON text. */
  @FunctionalInterface
  private interface RecordWriter {
    void write(StoredRecord record, Writer out) throws IOException;
  }

  private record Measured(double recordsPerSecond, long characters) {}

  private static Measured best(List<StoredRecord> records, RecordWriter writer) throws IOException {
    double best = 0;
    long characters = 0;
    for (int round = 0; round < WARMUP + ROUNDS; round++) {
      CountingWriter out = new CountingWriter();
      long start = System.nanoTime();
      for (StoredRecord record : records) {
        writer.write(record, out);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      characters = out.characters;
      if (round >= WARMUP) {
        best = Math.max(best, records.size() / seconds);
      }
    }
    return new Measured(best, characters);
  }

  /** The JSON-P object of the record's stored form, every field by its schema's type. */
  private static JsonObject jsonp(CollectionDescriptor<?> collection, StoredRecord record) {
    JsonObjectBuilder json = Jsonp.PROVIDER.createObjectBuilder();
    for (FieldDefinition field : collection.schema().fields()) {
      json.add(field.name(), field.type().toJson(field.read(record)));
    }
    return json.build();
  }

  /** The test samples of the collection, as stored records with their identity. */
  private static List<StoredRecord> records(CollectionDescriptor<?> collection) {
    List<StoredRecord> records = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      JsonObject sample = Samples.record(collection.name(), "user-" + (i % 1000));
      StoredRecord record = collection.blankRecord();
      for (FieldDefinition field : collection.schema().fields()) {
        JsonValue value = sample.get(field.name());
        if (value != null) {
          field.write(record, field.type().fromJson(value));
        }
      }
      record.assignIdentity();
      records.add(record);
    }
    return records;
  }

  /** Counts what is written, keeps nothing. */
  private static final class CountingWriter extends Writer {
    long characters;

    @Override
    public void write(char[] buffer, int offset, int length) {
      characters += length;
    }

    @Override
    public void write(String text) {
      characters += text.length();
    }

    @Override
    public void write(int c) {
      characters++;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
