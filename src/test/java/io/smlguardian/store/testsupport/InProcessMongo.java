package io.smlguardian.store.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MongoDB server in memory, in the test's own process, for unit tests of code on the MongoDB
 * store (the same store code as the mongodb server's): started before a test class's tests, stopped
 * after them. Register it as {@code @RegisterExtension static final InProcessMongo MONGO = new
 * InProcessMongo();}, and give each test a database of its own with {@link #newDatabase}.
 */
public final class InProcessMongo implements BeforeAllCallback, AfterAllCallback {

  private MongoServer server;
  private MongoClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    server.shutdownNow();
  }

  /** An empty database, named with the prefix and a random suffix. */
  public MongoDatabase newDatabase(String prefix) {
    return client.getDatabase(prefix + UUID.randomUUID().toString().substring(0, 8));
  }
}
