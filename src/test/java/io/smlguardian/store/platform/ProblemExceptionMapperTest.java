package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.accesslog.AuditUnavailableException;
import io.smlguardian.store.backup.archive.BackupException;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.memory.Memory;
import io.smlguardian.store.problem.RefusalAudit;
import io.smlguardian.store.resilience.DatabaseUnavailability;
import io.smlguardian.store.resilience.MaintenanceException;
import io.smlguardian.store.security.AccessDeniedException;
import io.smlguardian.store.sync.JournalFullException;
import io.smlguardian.store.testsupport.GeneratedRecords;
import io.smlguardian.store.transaction.AtomicOperation;
import io.smlguardian.store.transaction.AtomicOperationException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How every failure leaves the API: the status and problem+json body each kind gets, what is kept
 * from the caller (stack traces, internal messages), and which refusals are recorded in the audit
 * trail before they are answered. The audit trail is a recorder of its calls; the request an
 * anonymous GET.
 */
class ProblemExceptionMapperTest {

  private final List<String> refusals = new ArrayList<>();
  private final ProblemExceptionMapper mapper = new ProblemExceptionMapper();
  private boolean auditDown;

  @BeforeEach
  void wire() {
    mapper.audit =
        new RefusalAudit() {
          @Override
          public void refused(
              SecurityContext security,
              HttpServletRequest request,
              String owner,
              String collection,
              String operation,
              String reason) {
            if (auditDown) {
              throw new AuditUnavailableException(new IllegalStateException("disk full"));
            }
            refusals.add(String.join(" ", owner, collection, operation));
          }

          @Override
          public void unauthenticated(
              HttpServletRequest request, String operation, String reason) {}
        };
    mapper.checks = List.of(new DatabaseUnavailability());
    mapper.security = fake(SecurityContext.class);
    mapper.request = fake(HttpServletRequest.class);
  }

  @Test
  void aRefusalIsAnsweredWithItsStatusAndDetailAndAuditedUnderItsOwner() {
    var refused = new AccessDeniedException("bob", "memories", "read", "Not yours to read.");

    Response response = mapper.toResponse(refused);

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getMediaType()).isEqualTo(Problem.PROBLEM_JSON);
    JsonObject body = body(response);
    assertThat(body.getInt("status")).isEqualTo(403);
    assertThat(body.getString("title")).isEqualTo("Forbidden");
    assertThat(body.getString("detail")).isEqualTo(refused.detail());
    assertThat(refusals).containsExactly("bob memories read");
  }

  @Test
  void aRefusalInsideTheContainersWrappersIsStillThatRefusal() {
    var conflict = new VersionConflictException(Memories.COLLECTION, UUID.randomUUID(), "is stale");

    Response response =
        mapper.toResponse(
            new PersistenceException("commit failed", new RuntimeException("wrapped", conflict)));

    assertThat(response.getStatus()).isEqualTo(conflict.status().getStatusCode());
    assertThat(body(response).getString("detail")).isEqualTo(conflict.detail());
  }

  @Test
  void aRefusalNamingNoOwnerIsNotAuditedHere() {
    Response response =
        mapper.toResponse(
            new InvalidRequestException("limit: too large", List.of("limit: <= 1000")));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(body(response).getJsonArray("errors").getString(0)).isEqualTo("limit: <= 1000");
    assertThat(refusals).isEmpty();
  }

  /** No access is answered unrecorded. */
  @Test
  void aRefusalThatCannotBeAuditedIsA503() {
    auditDown = true;

    Response response =
        mapper.toResponse(new AccessDeniedException("bob", "memories", "read", "not yours"));

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
    assertThat(body(response).getString("detail")).contains("audit trail");
  }

  @Test
  void aConcurrentChangeFoundByTheProviderIsA412() {
    Response response =
        mapper.toResponse(new PersistenceException(new OptimisticLockException("row changed")));

    assertThat(response.getStatus()).isEqualTo(412);
    assertThat(body(response).getString("detail")).contains("changed concurrently");
  }

  @Test
  void constraintViolationsAreA400ListingEachField() {
    Memory invalid = GeneratedRecords.full(Memories.COLLECTION, "bob", Instant.now());
    GeneratedRecords.set(Memories.COLLECTION, invalid, "strength", 7.0);
    GeneratedRecords.set(Memories.COLLECTION, invalid, "type", null);
    var violations = Validation.buildDefaultValidatorFactory().getValidator().validate(invalid);

    Response response = mapper.toResponse(new ConstraintViolationException(violations));

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(body(response).getJsonArray("errors").getValuesAs(jakarta.json.JsonString.class))
        .extracting(jakarta.json.JsonString::getString)
        .hasSize(2)
        .isSorted()
        .anySatisfy(e -> assertThat(e).startsWith("strength: "))
        .anySatisfy(e -> assertThat(e).startsWith("type: "));
  }

  /** Nothing of the failure reaches the caller but an incident id, which the log also holds. */
  @Test
  void anythingUnexpectedIsA500WithAnIncidentIdAndNoInternals() {
    Response response =
        mapper.toResponse(new IllegalStateException("connection pool secret=hunter2 exhausted"));

    assertThat(response.getStatus()).isEqualTo(500);
    JsonObject body = body(response);
    String incident = body.getString("incident");
    assertThat(UUID.fromString(incident)).isNotNull();
    assertThat(body.getString("detail")).contains(incident).doesNotContain("hunter2");
    assertThat(body.toString()).doesNotContain("IllegalStateException").doesNotContain("at io.");
  }

  @Test
  void writesRefusedDuringMaintenanceAndAFullJournalAre503sWithRetryAfter() {
    Response maintenance =
        mapper.toResponse(new MaintenanceException("erasure", "a restore's switch"));
    Response journal = mapper.toResponse(new JournalFullException(10, 5).retryAfter(3));

    assertThat(maintenance.getStatus()).isEqualTo(503);
    assertThat(maintenance.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(journal.getStatus()).isEqualTo(503);
    assertThat(journal.getHeaderString("Retry-After")).isEqualTo("3");
    assertThat(body(journal).getString("detail")).contains("nothing of this request was accepted");
  }

  /** An atomic request's failure: its operation's index, the status of what failed. */
  @Test
  void aFailedAtomicOperationCarriesItsIndexAndItsCausesStatus() {
    var operation = new AtomicOperation.Insert("memories", Json.createObjectBuilder().build());
    var cause = new InvalidRequestException("Invalid memories record.", List.of("type: required"));

    Response response = mapper.toResponse(new AtomicOperationException(2, operation, cause));

    assertThat(response.getStatus()).isEqualTo(400);
    JsonObject body = body(response);
    assertThat(body.getInt("operationIndex")).isEqualTo(2);
    assertThat(body.getString("detail"))
        .startsWith("Operation 2 ")
        .endsWith("Nothing was committed.");
    assertThat(body.getJsonArray("errors").getString(0)).isEqualTo("type: required");
  }

  /** The REST runtime's own refusals, in the caller's terms rather than the runtime's ids. */
  @Test
  void theRuntimesRefusalsAreToldInTheCallersTerms() {
    Response notFound =
        mapper.toResponse(new NotFoundException("RESTEASY003210: Could not find resource"));
    Response notAllowed =
        mapper.toResponse(
            new NotAllowedException(
                "RESTEASY003650: No resource method found for DELETE",
                Response.status(405).allow("GET", "POST").build()));

    assertThat(notFound.getStatus()).isEqualTo(404);
    assertThat(body(notFound).getString("detail")).isEqualTo("Nothing is served at /api/things.");
    assertThat(notAllowed.getStatus()).isEqualTo(405);
    assertThat(notAllowed.getHeaderString("Allow")).contains("GET").contains("POST");
    assertThat(body(notAllowed).getString("detail")).doesNotContain("RESTEASY");
  }

  /** A backup's refusals carry their status, 422 among them, which Jakarta REST has no name for. */
  @Test
  void anUnusableArchiveIsA422AndABadBackupIdA400() {
    Response unusable =
        mapper.toResponse(BackupException.unusable("manifest.json is not a JSON object"));
    Response badId = mapper.toResponse(new BackupId.InvalidBackupIdException("../etc"));

    assertThat(unusable.getStatus()).isEqualTo(422);
    assertThat(body(unusable).getString("title")).isEqualTo("Unprocessable Content");
    assertThat(body(unusable).getString("detail")).isEqualTo("manifest.json is not a JSON object");
    assertThat(badId.getStatus()).isEqualTo(400);
    assertThat(body(badId).getString("detail")).startsWith("'../etc' is not a backup id");
    assertThat(refusals).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsA413() {
    Response response =
        mapper.toResponse(new RequestSizeLimit.PayloadTooLargeException("at most 1 MiB"));

    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(body(response).getString("detail")).isEqualTo("at most 1 MiB");
  }

  private static JsonObject body(Response response) {
    try (var reader = Json.createReader(new StringReader((String) response.getEntity()))) {
      return reader.readObject();
    }
  }

  /** An anonymous GET of /api/things from 10.0.0.7. */
  @SuppressWarnings("unchecked")
  private static <T> T fake(Class<T> type) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getMethod" -> "GET";
                  case "getRequestURI" -> "/api/things";
                  case "getRemoteAddr" -> "10.0.0.7";
                  case "isUserInRole", "isSecure" -> false;
                  default -> null;
                });
  }
}
