package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Validates and checks records of one collection for the write-behind ingest exactly as {@link
 * RecordService#insertAll} does (the same mapper, the same access checks), and gives each its id
 * (the body's {@code id}, a UUID, when it has one; a new one otherwise), creation time and first
 * version, without storing them. It touches no database, and is no {@code DatabaseBoundary}: the
 * ingest accepts records while the database is down or its circuit breaker open. Protected fields
 * are sealed by the protection the ingest gives (its journal key), not by the owners' data keys,
 * which live in the database.
 */
@ApplicationScoped
public class IngestPreparation {

  private CollectionRegistry collections;
  private RecordMapper mapper;

  protected IngestPreparation() {}

  @Inject
  public IngestPreparation(CollectionRegistry collections, RecordMapper mapper) {
    this.collections = collections;
    this.mapper = mapper;
  }

  /** The records, valid and sealed by the given protection, in the bodies' order. */
  public List<StoredRecord> prepare(
      Caller caller, String collection, List<JsonObject> bodies, FieldProtection sealing) {
    return List.copyOf(prepare(caller, collections.get(collection), bodies, sealing));
  }

  private <E extends StoredRecord> List<E> prepare(
      Caller caller,
      CollectionDescriptor<E> collection,
      List<JsonObject> bodies,
      FieldProtection sealing) {
    Optional<String> scope =
        CollectionAccess.ownerScope(caller, collection, AccessOperation.INSERT);
    List<E> records = new ArrayList<>(bodies.size());
    for (JsonObject body : bodies) {
      UUID id = null;
      if (body.containsKey("id")) {
        id = clientId(collection, body.get("id"));
        body = Jsonp.PROVIDER.createObjectBuilder(body).remove("id").build();
      }
      E record = mapper.newRecord(collection, body, sealing);
      CollectionAccess.checkNewOwner(scope, collection, record, AccessOperation.INSERT);
      if (id != null) {
        collection.schema().field("id").orElseThrow().write(record, id);
      }
      record.assignFirstInsert();
      records.add(record);
    }
    return records;
  }

  private static UUID clientId(CollectionDescriptor<?> collection, JsonValue id) {
    if (id instanceof JsonString text) {
      try {
        return UUID.fromString(text.getString());
      } catch (IllegalArgumentException e) {
        // answered below
      }
    }
    String error = "id: must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e";
    throw new InvalidRequestException(
        "Invalid " + collection.name() + " record: " + error + ".", List.of(error));
  }
}
