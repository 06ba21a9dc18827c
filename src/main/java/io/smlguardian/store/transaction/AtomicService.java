package io.smlguardian.store.transaction;

import io.smlguardian.store.collection.CollectionConfig;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.RecordService;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's startTransaction / commit / rollback, shaped for REST: a list of writes over any
 * collections carried out in one JTA transaction. Either every operation takes effect or, when one
 * fails, none does and the caller learns which one failed and why.
 */
@ApplicationScoped
@DatabaseBoundary
public class AtomicService {

  private RecordService records;
  private int maxOperations;

  protected AtomicService() {}

  @Inject
  public AtomicService(RecordService records, CollectionConfig config) {
    this.records = records;
    this.maxOperations = config.maxRecordsPerRequest();
  }

  /**
   * Parses the whole request first, so a malformed one changes nothing and costs no transaction.
   */
  public List<AtomicOperation> parse(JsonObject request) {
    if (!(request.get("operations") instanceof JsonArray operations)) {
      throw new InvalidRequestException("The request needs an 'operations' array.");
    }
    if (operations.isEmpty() || operations.size() > maxOperations) {
      throw new InvalidRequestException(
          "An atomic request takes 1 to "
              + maxOperations
              + " operations, got "
              + operations.size()
              + ".");
    }
    if (operations.size() > 1) {
      records.requireAtomicWrites("an atomic request of several operations");
    }
    List<AtomicOperation> parsed = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      JsonValue operation = operations.get(i);
      parsed.add(AtomicOperation.parse(operation, "operations[" + i + "]"));
    }
    return parsed;
  }

  /** Carries out every operation in order in one transaction, or none of them. */
  @Transactional
  public List<AtomicOperation.Result> execute(Caller caller, List<AtomicOperation> operations) {
    List<AtomicOperation.Result> results = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      AtomicOperation operation = operations.get(i);
      try {
        results.add(operation.apply(records, caller));
      } catch (RuntimeException e) {
        throw new AtomicOperationException(i, operation, e);
      }
    }
    return results;
  }
}
