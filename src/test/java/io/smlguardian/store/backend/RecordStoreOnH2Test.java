package io.smlguardian.store.backend;

/** The store contract on H2 in memory (the memory backend), through the JPA store. */
class RecordStoreOnH2Test extends RecordStoreContract {

  @Override
  StoreFixture startFixture() {
    return JpaStoreFixture.h2();
  }
}
