package io.smlguardian.store.backend;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smlguardian.store.mongo.MongoRecordStore;
import io.smlguardian.store.testsupport.LocalTransactions;
import io.smlguardian.store.testsupport.RegisteredCollections;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.function.Supplier;
import javax.naming.Context;

/**
 * The MongoDB store against an in-process server speaking MongoDB's wire protocol
 * (mongo-java-server), or against a real MongoDB when {@code MONGO_URI} is set: each test class
 * works in a database of its own, dropped at the end, so a real server's data is never touched.
 * MongoDB has no transactions here: a client's "transaction" runs the work, and only the store's
 * user locks, which are the JVM's and end with the server's JTA transaction, see it (through the
 * transaction registry {@link LocalTransactions} stands in for).
 */
final class MongoStoreFixture implements StoreFixture {

  private final MongoServer server;
  private final MongoClient mongo;
  private final MongoDatabase database;
  private MongoRecordStore store;
  private final String previousNaming;

  MongoStoreFixture() {
    String uri = System.getenv("MONGO_URI");
    if (uri == null || uri.isBlank()) {
      server = new MongoServer(new MemoryBackend());
      InetSocketAddress address = server.bind();
      uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
    } else {
      server = null;
    }
    mongo = MongoClients.create(uri);
    database =
        mongo.getDatabase("guardian_contract_" + UUID.randomUUID().toString().substring(0, 8));
    // The user locks find the transaction registry in JNDI, as in the server.
    previousNaming =
        System.setProperty(
            Context.INITIAL_CONTEXT_FACTORY, LocalTransactions.Naming.class.getName());
  }

  @Override
  public Backend backend() {
    return Backend.MONGODB;
  }

  @Override
  public Client client() {
    return new Client() {
      @Override
      public MongoRecordStore store() {
        return store;
      }

      @Override
      public <T> T inTransaction(Supplier<T> work) {
        LocalTransactions.REGISTRY.begin();
        boolean completed = false;
        try {
          T result = work.get();
          completed = true;
          return result;
        } finally {
          LocalTransactions.REGISTRY.end(completed);
        }
      }
    };
  }

  @Override
  public void wipe() {
    database.drop();
    store = new MongoRecordStore(database, RegisteredCollections.all()); // creates the indexes
  }

  @Override
  public boolean someoneAwaitsAUserLock(Thread waiter) {
    return waiter.getState() == Thread.State.WAITING;
  }

  @Override
  public void close() {
    if (previousNaming == null) {
      System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousNaming);
    }
    database.drop();
    mongo.close();
    if (server != null) {
      server.shutdownNow();
    }
  }
}
