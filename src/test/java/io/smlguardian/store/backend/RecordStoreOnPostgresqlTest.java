package io.smlguardian.store.backend;

/** The store contract on a real PostgreSQL (embedded binaries), through the JPA store. */
class RecordStoreOnPostgresqlTest extends RecordStoreContract {

  @Override
  StoreFixture startFixture() {
    return JpaStoreFixture.postgresql();
  }
}
