package io.smlguardian.store.backend;

import io.smlguardian.store.accesslog.LedgerStore;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.jpa.JpaRecordStore;
import io.smlguardian.store.jpa.NoQueryRetries;
import io.smlguardian.store.mongo.MongoRecordStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The one {@link RecordStore} of the application, for the configured backend: JPA on the
 * jdbc/guardian datasource for sqlite, memory and postgresql, the MongoDB driver for mongodb. The
 * stores themselves are not beans, so this producer is the only candidate for a RecordStore
 * injection point. Whichever it is, it comes wrapped in a {@link MeasuredRecordStore}, which times
 * every operation for the metrics endpoint. The same backend store also serves the audit ledger's
 * one primitive of its own ({@link LedgerStore}).
 */
@ApplicationScoped
public class RecordStores {

  @PersistenceContext(unitName = "guardian")
  private EntityManager em;

  @Resource(lookup = "jdbc/guardian")
  private DataSource dataSource;

  @Inject private BackendConfig config;
  @Inject private CollectionRegistry collections;
  @Inject private MetricRegistry metrics;

  private RecordStore backendStore;

  @Produces
  @ApplicationScoped
  RecordStore recordStore() {
    return new MeasuredRecordStore(backendStore(), metrics);
  }

  /** The audit ledger's primitive, from the same backend store. */
  @Produces
  @ApplicationScoped
  LedgerStore ledgerStore() {
    return (LedgerStore) backendStore();
  }

  private synchronized RecordStore backendStore() {
    if (backendStore == null) {
      backendStore = connectedStore();
    }
    return backendStore;
  }

  private RecordStore connectedStore() {
    Backend backend = config.backend();
    if (backend == Backend.MONGODB) {
      return MongoRecordStore.connect(config.mongoUri(), collections.all());
    }
    NoQueryRetries.applyTo(em); // the service retries whole transactions itself
    return new JpaRecordStore(
        em,
        dataSource,
        lookup(backend.snapshotDataSource()),
        backend.configName(),
        backend.nestedTransactions(),
        backend.ephemeral());
  }

  private static DataSource lookup(String name) {
    try {
      return InitialContext.doLookup(name);
    } catch (NamingException e) {
      throw new IllegalStateException(name + " is not configured: " + e.getMessage(), e);
    }
  }

  void close(@Disposes RecordStore store) throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
