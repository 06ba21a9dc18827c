package io.smlguardian.store.collection;

import io.smlguardian.store.security.ReservedIdentities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.annotation.ElementType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Converts between the JSON of the API and entities, for every collection, from its schema.
 *
 * <p>This is the only code that writes entity fields. It refuses unknown fields, values of the
 * wrong type, generated fields, an owner that is one of the store's {@link ReservedIdentities} and,
 * on update, immutable ones; then it runs the entity's Bean Validation constraints. All problems of
 * one record are reported together, and a record with any problem is never handed to a store.
 * Protected fields (see {@link FieldProtection}) are sealed before a record leaves here for a store
 * and opened on their way out to a caller, so entities hold sealed values only.
 */
@ApplicationScoped
public class RecordMapper {

  private Validator validator;
  private FieldProtection protection;

  protected RecordMapper() {}

  /**
   * Validates with the server's validator factory, but without its default traversable resolver:
   * where JPA is present, that one asks every persistence provider whether each property of the
   * record is loaded before it checks it, on every validation (a tenth of the ingest's CPU in a
   * profile). A record's properties are plain values, always loaded, with no cascade to follow.
   */
  @Inject
  public RecordMapper(ValidatorFactory validators, FieldProtection protection) {
    this(
        validators.usingContext().traversableResolver(new EveryPropertyReachable()).getValidator(),
        protection);
  }

  public RecordMapper(Validator validator, FieldProtection protection) {
    this.validator = validator;
    this.protection = protection;
  }

  /** Every property is validated: a record has no lazy state to leave alone. */
  private static final class EveryPropertyReachable implements TraversableResolver {

    @Override
    public boolean isReachable(
        Object object, Path.Node property, Class<?> root, Path path, ElementType type) {
      return true;
    }

    @Override
    public boolean isCascadable(
        Object object, Path.Node property, Class<?> root, Path path, ElementType type) {
      return true;
    }
  }

  /** A new, valid, not yet stored record of the collection built from a request body. */
  public <E extends StoredRecord> E newRecord(CollectionDescriptor<E> collection, JsonObject body) {
    return newRecord(collection, body, protection);
  }

  /**
   * New records as {@link #newRecord(CollectionDescriptor, JsonObject)} makes each, their owners'
   * keys looked up together once all are valid (one query for a request of many users' records).
   */
  public <E extends StoredRecord> List<E> newRecords(
      CollectionDescriptor<E> collection, List<JsonObject> bodies) {
    return sealed(validRecords(collection, bodies), protection);
  }

  /** A new record as {@link #newRecord(CollectionDescriptor, JsonObject)}, sealed by another. */
  public <E extends StoredRecord> E newRecord(
      CollectionDescriptor<E> collection, JsonObject body, FieldProtection protection) {
    // A new record is not managed yet: sealing after validation cannot flush anything.
    return sealed(validRecords(collection, List.of(body)), protection).get(0);
  }

  /**
   * New records built from request bodies and validated, all of them before any is sealed: their
   * protected fields are still clear, to be sealed by {@link #sealed} or, for a single insert, in
   * the audit trail's shared commit ({@link AccessRecorder#insertShared}).
   *
   * @throws InvalidRequestException for the first invalid record, before any key is looked up
   */
  public <E extends StoredRecord> NewRecords<E> validRecords(
      CollectionDescriptor<E> collection, List<JsonObject> bodies) {
    List<E> records = new ArrayList<>(bodies.size());
    for (JsonObject body : bodies) {
      records.add(validRecord(collection, body));
    }
    return NewRecords.clear(collection, records);
  }

  /** The records sealed, their owners' keys looked up in one query. */
  public <E extends StoredRecord> List<E> sealed(NewRecords<E> records) {
    return sealed(records, protection);
  }

  private static <E extends StoredRecord> List<E> sealed(
      NewRecords<E> records, FieldProtection protection) {
    Set<String> owners = records.sealedOwners();
    return records.seal(
        owners.isEmpty() ? Map.of() : protection.sealers(records.collection(), owners));
  }

  /** A new record built from a request body and validated, its protected fields still clear. */
  private <E extends StoredRecord> E validRecord(
      CollectionDescriptor<E> collection, JsonObject body) {
    E record = collection.blankRecord();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, JsonValue> entry : body.entrySet()) {
      collection
          .schema()
          .field(entry.getKey())
          .ifPresentOrElse(
              field -> {
                if (!field.writableOnInsert()) {
                  errors.add(field.name() + ": is assigned by the store");
                } else {
                  write(record, field, entry.getValue(), errors);
                }
              },
              () -> errors.add(entry.getKey() + ": no such field in " + collection.name()));
    }
    if (record instanceof OwnedRecord owned && ReservedIdentities.isReserved(owned.getUserId())) {
      errors.add(OwnedRecord.OWNER_FIELD + ": is a name the store reserves for its own entries");
    }
    validate(collection, record, errors);
    return record;
  }

  /**
   * Applies a partial update (JSON merge patch: the fields present are replaced, null clears a
   * field) to a record, then validates the result.
   */
  public <E extends StoredRecord> void applyChanges(
      CollectionDescriptor<E> collection, E record, JsonObject changes) {
    List<String> errors = new ArrayList<>();
    // Prepared before the (managed) record changes at all; see FieldProtection.sealer.
    FieldProtection.Sealer sealer = sealerFor(collection, record, changes, protection);
    for (Map.Entry<String, JsonValue> entry : changes.entrySet()) {
      collection
          .schema()
          .field(entry.getKey())
          .ifPresentOrElse(
              field -> {
                if (field.access() == FieldDefinition.Access.GENERATED) {
                  errors.add(field.name() + ": is assigned by the store");
                } else if (!field.writableOnUpdate()) {
                  errors.add(field.name() + ": cannot be changed once stored");
                } else if (FieldProtection.isProtected(collection, field)
                    && entry.getValue() != JsonValue.NULL) {
                  field.write(record, sealer.seal(field.name(), entry.getValue()));
                } else {
                  write(record, field, entry.getValue(), errors);
                }
              },
              () -> errors.add(entry.getKey() + ": no such field in " + collection.name()));
    }
    validate(collection, record, errors);
  }

  /**
   * The record as the API shows it, as JSON text: every field, or only those projected, in schema
   * order, protected fields opened (see {@link RecordJson#writeView}).
   *
   * @param projection the fields to show; empty for every field
   */
  public String view(
      CollectionDescriptor<?> collection, StoredRecord record, List<String> projection) {
    return view(collection, record, projection, protection, Optional.empty());
  }

  /**
   * The view of a record for a caller confined to one owner's records ({@code viewer}; empty for a
   * caller who may read every owner's): a record about several users names the viewer alone among
   * them, since one user may not learn whose data an access touched besides theirs.
   */
  public String view(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      List<String> projection,
      Optional<String> viewer) {
    return view(collection, record, projection, protection, viewer);
  }

  /** The view of a record whose protected fields the given protection opens. */
  public String view(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      List<String> projection,
      FieldProtection protection) {
    return view(collection, record, projection, protection, Optional.empty());
  }

  private static String view(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      List<String> projection,
      FieldProtection protection,
      Optional<String> viewer) {
    StringWriter out = new StringWriter(256);
    try {
      writeView(collection, record, projection, protection, viewer, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * The view of a record, every field, written where many records go (the export of one user's
   * records, the {@code viewer}: see {@link #view(CollectionDescriptor, StoredRecord, List,
   * Optional)}): the text of {@link #view} without a projection.
   */
  public void writeJson(
      CollectionDescriptor<?> collection, StoredRecord record, String viewer, Writer out)
      throws IOException {
    writeView(collection, record, List.of(), protection, Optional.of(viewer), out);
  }

  private static void writeView(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      List<String> projection,
      FieldProtection protection,
      Optional<String> viewer,
      Writer out)
      throws IOException {
    String owner = owner(record);
    RecordJson.writeView(
        collection,
        record,
        projection,
        (field, stored) -> {
          if (!RecordJson.namesOwners(collection, field)) {
            return protection.open(collection, owner, field.name(), stored);
          }
          return viewer.isPresent()
              ? Jsonp.PROVIDER.createArrayBuilder().add(viewer.get()).build()
              : stored;
        },
        out);
  }

  /** A sealer when the body carries a value for a protected field; none is needed otherwise. */
  private static FieldProtection.Sealer sealerFor(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      JsonObject body,
      FieldProtection protection) {
    return sealing(collection, body)
        ? protection.sealer(collection, owner(record))
        : (field, clear) -> clear;
  }

  /** Whether the body sets a protected field to a value. */
  private static boolean sealing(CollectionDescriptor<?> collection, JsonObject body) {
    return body.entrySet().stream()
        .anyMatch(
            e ->
                e.getValue() != JsonValue.NULL
                    && collection
                        .schema()
                        .field(e.getKey())
                        .filter(f -> FieldProtection.isProtected(collection, f))
                        .isPresent());
  }

  private static String owner(StoredRecord record) {
    return record instanceof OwnedRecord owned ? owned.getUserId() : null;
  }

  private static void write(
      StoredRecord record, FieldDefinition field, JsonValue json, List<String> errors) {
    try {
      field.write(record, field.type().fromJson(json));
    } catch (IllegalArgumentException e) {
      errors.add(field.name() + ": " + e.getMessage());
    }
  }

  private <E extends StoredRecord> void validate(
      CollectionDescriptor<E> collection, E record, List<String> errors) {
    // A field whose value was refused already has its error; its constraints would only repeat it.
    Set<String> refused =
        errors.stream().map(e -> e.substring(0, e.indexOf(':'))).collect(Collectors.toSet());
    validator.validate(record).stream()
        .filter(v -> !refused.contains(v.getPropertyPath().toString()))
        .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
        .map(RecordMapper::describe)
        .forEach(errors::add);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(
          "Invalid " + collection.name() + " record: " + String.join("; ", errors) + ".", errors);
    }
  }

  private static String describe(ConstraintViolation<?> violation) {
    return violation.getPropertyPath() + ": " + violation.getMessage();
  }
}
