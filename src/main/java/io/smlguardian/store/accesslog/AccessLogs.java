package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/**
 * The access logs collection: the audit trail, kept seven years for compliance. Its entries may
 * each be about several users, and are found by owner through their owner table.
 */
@Dependent
public class AccessLogs {

  @Produces
  public static final CollectionDescriptor<AccessLog> COLLECTION =
      new CollectionDescriptor<>(
          "access_logs",
          AccessLog.class,
          DataCategory.AUDIT_LOG,
          Period.ofYears(7),
          "timestamp",
          List.of(
              "accessType",
              "ipAddress",
              "success",
              "principal",
              "collection",
              "operation",
              "seq",
              "block"),
          AccessLogOwner.class);

  private AccessLogs() {}
}
