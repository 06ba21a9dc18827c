package io.smlguardian.store.backend;

/** The store contract on MongoDB (mongo-java-server in process, or MONGO_URI's server). */
class RecordStoreOnMongoTest extends RecordStoreContract {

  @Override
  StoreFixture startFixture() {
    return new MongoStoreFixture();
  }
}
