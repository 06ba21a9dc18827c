package io.smlguardian.store.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store's own calls of Jakarta Batch's {@link JobOperator}, made as the store's batch identity
 * (run-as role {@value #ROLE}) rather than as whoever is on the thread.
 *
 * <p>Once a security feature is on, the server checks batch roles on every JobOperator call. The
 * callers of the store's own calls are the schedules and the metrics poll (no caller at all),
 * privacy officers (exports), auditors (reading retention runs) and operators: the application
 * admits each of them by its own roles first ({@link AllowedRoles}), so none of them needs a batch
 * role of its own, and the server's batch roles can go to operators alone, for its batch REST API.
 * The server maps {@value #ROLE} to a dedicated identity that holds {@code batchAdmin} (Open
 * Liberty: {@code run-as} in the application's binding, see server-config/liberty/server.xml).
 *
 * <p>Only the operator's call runs inside: the store's own exceptions are thrown outside, where the
 * container passes them through unchanged. Jakarta Batch's exceptions ({@code
 * BatchRuntimeException} and its subclasses) are application exceptions (WEB-INF/ejb-jar.xml), so
 * callers catch them as they are. No transaction: jobs open their own.
 */
@Stateless
@PermitAll
@RunAs(SystemJobOperator.ROLE)
@DeclareRoles(SystemJobOperator.ROLE)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SystemJobOperator {

  /** The role the store's batch calls run as; never a role of a token. */
  public static final String ROLE = "batch-system";

  /** Runs one call, or several, of the operator as the store's batch identity. */
  public <T> T call(Function<JobOperator, T> operation) {
    return operation.apply(BatchRuntime.getJobOperator());
  }

  /** Runs one call of the operator that answers nothing (a stop), as the batch identity. */
  public void run(Consumer<JobOperator> operation) {
    operation.accept(BatchRuntime.getJobOperator());
  }
}
