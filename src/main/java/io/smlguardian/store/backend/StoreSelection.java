package io.smlguardian.store.backend;

import io.smlguardian.store.accesslog.LedgerStore;
import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The store of the configured backend ({@code DB_BACKEND}), offered under each of its roles: a
 * caller injects {@link RecordStore}, {@link BulkStore}, {@link StoreInfo} or the audit ledger's
 * {@link LedgerStore}, never a backend's class.
 *
 * <p>Each backend's store is an application-scoped bean of its own, typed to its class alone so
 * that none answers a role's injection point by itself; these producers hand out the configured
 * one's client proxy. Calls through that proxy reach the bean's intercepted instance, so its
 * interceptors ({@code @MeasuredStore}: the store timers) apply: a producer's own product is never
 * intercepted, but here the product is the bean's proxy. This is simpler than the alternatives on
 * Open Liberty (CDI 4.0): enabling one {@code @Alternative} per backend cannot follow a
 * configuration value, and an {@code InterceptionFactory} would wrap objects the producer
 * constructs itself, with their injection done by hand. The stores not configured are never
 * instantiated.
 */
@ApplicationScoped
public class StoreSelection {

  @Inject private BackendConfig config;
  @Inject @Any private Instance<BackendStore> stores;

  @Produces
  @Dependent
  RecordStore records() {
    return store();
  }

  @Produces
  @Dependent
  BulkStore bulk() {
    return store();
  }

  @Produces
  @Dependent
  StoreInfo info() {
    return store();
  }

  /** The audit ledger's primitive, from the same store. */
  @Produces
  @Dependent
  LedgerStore ledger() {
    return (LedgerStore) store();
  }

  private BackendStore store() {
    return stores.select(config.backend().storeClass()).get();
  }
}
