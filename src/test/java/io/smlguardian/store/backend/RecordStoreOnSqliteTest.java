package io.smlguardian.store.backend;

/** The store contract on a SQLite file, through the JPA store. */
class RecordStoreOnSqliteTest extends RecordStoreContract {

  @Override
  StoreFixture startFixture() {
    return JpaStoreFixture.sqlite();
  }
}
