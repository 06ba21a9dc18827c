package io.smlguardian.store.mongo;

import static io.smlguardian.store.mongo.RecordDocuments.ID;
import static io.smlguardian.store.mongo.RecordDocuments.VERSION;
import static io.smlguardian.store.mongo.RecordDocuments.key;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.management.JMXConnectionPoolListener;
import io.smlguardian.store.accesslog.LedgerStore;
import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.MeasuredStore;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordOwner;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.UserLocks;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The store on MongoDB: one MongoDB collection per collection, of the same name, one document per
 * record, mapped from the collection's schema by {@link RecordDocuments} (which states how ids,
 * times and JSON are represented and why).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>A document is only ever written whole, and an existing one only while its {@code version}
 *       still equals the version the record was read at; every such write advances the version by
 *       one, in the document and in the record. A write that finds another version (or no document)
 *       changes nothing and throws {@link VersionConflictException}.
 *   <li>Queries mean what they mean on the relational store: a comparison with a null field holds
 *       neither as asked nor negated (SQL's three-valued logic), except {@code is.null} and its
 *       negation; every order ends with the id, ascending, so pages are stable. One difference
 *       remains: MongoDB sorts nulls before every value, PostgreSQL after.
 *   <li>Operations are single-document atomic only. An insert of several records is not all or
 *       nothing (the ones before a failure stay), and the store takes no part in the caller's JTA
 *       transaction.
 * </ul>
 *
 * <p>An application-scoped bean, typed to its class alone: the backend selection ({@code
 * StoreSelection}) offers it under the store's roles when {@code DB_BACKEND=mongodb}; it connects
 * (and creates its indexes) when first used. Tests construct it on a database of their own.
 */
@ApplicationScoped
@Typed(MongoRecordStore.class)
@MeasuredStore
public class MongoRecordStore implements BackendStore, LedgerStore, AutoCloseable {

  /** How long a request waits for a reachable server before it fails (the driver's is 30 s). */
  static final Duration SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(MongoRecordStore.class.getName());

  private MongoDatabase database;
  private MongoClient ownedClient;
  private ConnectionString uri;

  /** One set for the application: the bean is application-scoped (see {@link #lockUser}). */
  private final UserLocks userLocks = new UserLocks();

  /** For the container's proxy. */
  protected MongoRecordStore() {}

  /**
   * A store on a database that the caller owns (and closes), creating the indexes that the given
   * collections' access paths need.
   */
  public MongoRecordStore(
      MongoDatabase database, Collection<? extends CollectionDescriptor<?>> collections) {
    this(database, collections, null, null);
  }

  /**
   * The application's store, on the database that {@code MONGO_URI} names.
   *
   * @param connectionString e.g. {@code mongodb://localhost:27017/sml_guardian}: it must name the
   *     database
   */
  @Inject
  MongoRecordStore(
      @ConfigProperty(name = "MONGO_URI", defaultValue = "mongodb://localhost:27017/sml_guardian")
          String connectionString,
      CollectionRegistry collections) {
    this(Connected.to(connectionString), collections.all());
  }

  private MongoRecordStore(
      Connected connected, Collection<? extends CollectionDescriptor<?>> collections) {
    this(connected.database(), collections, connected.client(), connected.uri());
  }

  private MongoRecordStore(
      MongoDatabase database,
      Collection<? extends CollectionDescriptor<?>> collections,
      MongoClient ownedClient,
      ConnectionString uri) {
    this.database = database;
    this.ownedClient = ownedClient;
    this.uri = uri;
    try {
      collections.forEach(this::createIndexes);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A store with its own client, from a connection string that names the database, e.g. {@code
   * mongodb://localhost:27017/sml_guardian} (the {@code MONGO_URI} setting). Closing the store
   * closes the client.
   */
  public static MongoRecordStore connect(
      String connectionString, Collection<? extends CollectionDescriptor<?>> collections) {
    return new MongoRecordStore(Connected.to(connectionString), collections);
  }

  /** A client of its own, on the database a connection string names. */
  private record Connected(ConnectionString uri, MongoClient client, MongoDatabase database) {

    static Connected to(String connectionString) {
      ConnectionString uri = new ConnectionString(connectionString);
      if (uri.getDatabase() == null) {
        throw new IllegalArgumentException(
            "the MongoDB connection string must name the database, e.g."
                + " mongodb://localhost:27017/sml_guardian");
      }
      MongoClient client = MongoClients.create(settings(uri));
      return new Connected(uri, client, client.getDatabase(uri.getDatabase()));
    }
  }

  /**
   * The client's settings: the connection string's, over two defaults of the store's own. Server
   * selection gives up after {@link #SERVER_SELECTION_TIMEOUT} rather than the driver's 30 s, so
   * that an unreachable database is a prompt 503 (as a pool wait is on the SQL backends, {@code
   * DB_POOL_WAIT}); {@code serverSelectionTimeoutMS} in the connection string overrides it. The
   * pool publishes its figures (size, checked out, max) as MBeans, which operators' status reads:
   * the driver's own listener, no polling.
   */
  static MongoClientSettings settings(ConnectionString uri) {
    return MongoClientSettings.builder()
        .applyToClusterSettings(
            cluster ->
                cluster.serverSelectionTimeout(
                    SERVER_SELECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .applyConnectionString(uri)
        .applyToConnectionPoolSettings(
            pool -> pool.addConnectionPoolListener(new JMXConnectionPoolListener()))
        .build();
  }

  /**
   * The indexes of the relational schema's access paths common to all collections: a user's records
   * by time, and all records by time (retention). Creating an existing index is a no-op, so this
   * runs at every start. (mongo-java-server, used by the unit tests, accepts and ignores non-unique
   * indexes.)
   */
  private void createIndexes(CollectionDescriptor<?> collection) {
    MongoCollection<BsonDocument> documents = documents(collection);
    if (collection.owned()) {
      documents.createIndex(
          Indexes.compoundIndex(
              Indexes.ascending(OwnedRecord.OWNER_FIELD),
              Indexes.descending(collection.timeField())));
    }
    documents.createIndex(Indexes.ascending(collection.timeField()));
    if (collection.ownerTable().isPresent()) {
      // The owners a record names when it has several: one index entry per owner (multikey).
      documents.createIndex(Indexes.ascending(key(RecordOwner.NAMED_OWNERS_FIELD)));
    }
  }

  @Override
  public <E extends StoredRecord> void insert(CollectionDescriptor<E> collection, List<E> records) {
    if (records.isEmpty()) {
      return;
    }
    FieldDefinition version = versionField(collection);
    List<BsonDocument> documents = new ArrayList<>();
    for (E record : records) {
      record.assignIdentity();
      version.write(record, 1L);
      documents.add(RecordDocuments.toDocument(collection, record));
    }
    documents(collection).insertMany(documents);
  }

  @Override
  public <E extends StoredRecord> Optional<E> findById(
      CollectionDescriptor<E> collection, UUID id) {
    return Optional.ofNullable(documents(collection).find(byId(id)).first())
        .map(document -> RecordDocuments.toRecord(collection, document));
  }

  @Override
  public <E extends StoredRecord> List<E> findByIds(
      CollectionDescriptor<E> collection, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return documents(collection)
        .find(Filters.in(ID, ids.stream().map(id -> new BsonString(id.toString())).toList()))
        .map(document -> RecordDocuments.toRecord(collection, document))
        .into(new ArrayList<>());
  }

  @Override
  public Map<UUID, RecordCache.Stamp> stamps(
      CollectionDescriptor<?> collection, Collection<UUID> ids) {
    Map<UUID, RecordCache.Stamp> stamps = new HashMap<>();
    if (ids.isEmpty()) {
      return stamps;
    }
    String createdAt = RecordDocuments.key("createdAt");
    documents(collection)
        .find(Filters.in(ID, ids.stream().map(id -> new BsonString(id.toString())).toList()))
        .projection(Projections.include(VERSION, createdAt))
        .forEach(
            document ->
                stamps.put(
                    UUID.fromString(document.getString(ID).getValue()),
                    new RecordCache.Stamp(
                        document.getInt64(VERSION).getValue(),
                        RecordDocuments.instant(document.getInt64(createdAt).getValue()))));
    return stamps;
  }

  @Override
  public <E extends StoredRecord> List<E> find(
      CollectionDescriptor<E> collection, RecordQuery query) {
    if (query.limit() <= 0) {
      return List.of(); // MongoDB would read limit 0 as "no limit"
    }
    List<E> records = new ArrayList<>();
    Bson where = where(collection, query.filters());
    if (query.after() != null) {
      where = Filters.and(where, afterKey(key(collection.timeField()), query.after()));
    }
    documents(collection)
        .find(where)
        .sort(order(collection, query))
        .skip(query.offset())
        .limit(query.limit())
        .forEach(document -> records.add(RecordDocuments.toRecord(collection, document)));
    return records;
  }

  @Override
  public long count(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    return documents(collection).countDocuments(where(collection, filters, range));
  }

  @Override
  public <E extends StoredRecord> void update(CollectionDescriptor<E> collection, E record) {
    long read = record.getVersion();
    BsonDocument document = RecordDocuments.toDocument(collection, record);
    document.put(VERSION, new BsonInt64(read + 1));
    // A replacement, not $set: it writes the record whole, as insert does. MongoDB (5.0 and later)
    // accepts "$"-prefixed and dotted keys, which free-form JSON may hold, below the top level of
    // a replacement; its rules for update operators are narrower.
    long matched =
        documents(collection)
            .replaceOne(atVersion(record.getId(), read), document)
            .getMatchedCount();
    if (matched == 0) {
      throw new VersionConflictException(collection, record.getId(), "was changed concurrently");
    }
    versionField(collection).write(record, read + 1);
  }

  @Override
  public <E extends StoredRecord> void delete(CollectionDescriptor<E> collection, E record) {
    long deleted =
        documents(collection)
            .deleteOne(atVersion(record.getId(), record.getVersion()))
            .getDeletedCount();
    if (deleted == 0) {
      throw new VersionConflictException(collection, record.getId(), "was changed concurrently");
    }
  }

  /**
   * MongoDB without transactions has no lock to hold until commit: the record is read as it is; a
   * concurrent writer of it then loses on its version.
   */
  @Override
  public <E extends StoredRecord> Optional<E> findForUpdate(
      CollectionDescriptor<E> collection, UUID id) {
    return findById(collection, id);
  }

  @Override
  public long deleteMatching(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    return documents(collection).deleteMany(where(collection, filters, range)).getDeletedCount();
  }

  /**
   * A lock of this JVM, held until the caller's JTA transaction completes (MongoDB has none to lock
   * in): an erasure and a legal hold's placement on this instance take turns, so a hold is never
   * placed while its user's erasure deletes, unseen by it. Instances that share a MongoDB database
   * do not see each other's locks.
   */
  @Override
  public void lockUser(String userId) {
    userLocks.lock(userId);
  }

  /** In the stripes' order, so that no two callers wait for each other in a cycle. */
  @Override
  public void lockUsers(Collection<String> userIds) {
    userLocks.lockAll(userIds);
  }

  /** Nothing to lock: MongoDB has no table locks. */
  @Override
  public void lockCollection(CollectionDescriptor<?> collection, boolean exclusive) {}

  /** From the connection string alone (without credentials' secrets: redact the URL to show it). */
  @Override
  public StoreConnection connection() {
    if (uri == null) {
      return new StoreConnection(null, null, database.getName());
    }
    return new StoreConnection(uri.getConnectionString(), uri.getUsername(), uri.getDatabase());
  }

  /**
   * The driver's {@code ConnectionPool} MBean, published by its JMX pool listener ({@link
   * #settings}).
   */
  @Override
  public Optional<ConnectionPoolFigures> connectionPool() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName name :
          server.queryNames(new ObjectName("org.mongodb.driver:type=ConnectionPool,*"), null)) {
        long size = number(server, name, "Size");
        long checkedOut = number(server, name, "CheckedOutCount");
        return Optional.of(
            new ConnectionPoolFigures(
                server.getAttribute(name, "Host") + ":" + server.getAttribute(name, "Port"),
                number(server, name, "MaxSize"),
                size,
                checkedOut,
                Math.max(0, size - checkedOut),
                null,
                null,
                name.toString()));
      }
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.FINE, "No connection pool figures", e);
    }
    return Optional.empty();
  }

  private static long number(MBeanServer server, ObjectName name, String attribute)
      throws JMException {
    return ((Number) server.getAttribute(name, attribute)).longValue();
  }

  /**
   * False: this store writes each document on its own, outside any transaction (mongo-java-server,
   * which the tests use, has none; a real MongoDB has them on replica sets only).
   */
  @Override
  public boolean supportsAtomicWrites() {
    return false;
  }

  @Override
  public String backend() {
    return "mongodb";
  }

  /** MongoDB's {@code ping} command on the store's database. */
  @Override
  public void ping() {
    database.runCommand(new BsonDocument("ping", new BsonInt64(1)));
  }

  /**
   * MongoDB's {@code collStats}: the storage allocated to the documents plus the indexes' size (a
   * collection that was never written has neither, and counts as empty). A server that allocates no
   * storage (mongo-java-server, in memory) reports the documents' size instead.
   */
  @Override
  public StorageSize storageSize(CollectionDescriptor<?> collection) {
    try {
      BsonDocument stats =
          database.runCommand(
              new BsonDocument("collStats", new BsonString(collection.name())), BsonDocument.class);
      long allocated = number(stats, "storageSize");
      if (allocated > 0) {
        return StorageSize.of(
            allocated + number(stats, "totalIndexSize"), "collStats storageSize + totalIndexSize");
      }
      return StorageSize.of(
          number(stats, "size"), "collStats size (documents only: the server reports no storage)");
    } catch (MongoException e) {
      return StorageSize.unknown("MongoDB could not tell: " + e.getMessage());
    }
  }

  private static long number(BsonDocument document, String key) {
    BsonValue value = document.get(key);
    return value != null && value.isNumber() ? value.asNumber().longValue() : 0;
  }

  /** One query over the time index: the rest of the given key's instant by id, then later ones. */
  @Override
  public Optional<TimeKey> timeKeyAt(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKey after, int position) {
    if (position < 1) {
      throw new IllegalArgumentException("position must be at least 1");
    }
    String time = key(collection.timeField());
    BsonDocument found =
        documents(collection)
            .find(
                Filters.and(
                    where(collection, filters, TimeKeyRange.after(after)), Filters.ne(time, null)))
            .projection(Projections.include(time, ID))
            .sort(Sorts.ascending(time, ID))
            .skip(position - 1)
            .limit(1)
            .first();
    return Optional.ofNullable(found)
        .map(
            document ->
                new TimeKey(
                    (java.time.Instant)
                        RecordDocuments.fromBson(FieldType.TIME, document.get(time)),
                    UUID.fromString(document.getString(ID).getValue())));
  }

  /**
   * A cursor per collection, fetched a batch at a time. Not a point-in-time snapshot: without
   * transactions (a replica set's), each collection is read as it is while the cursor walks it.
   */
  @Override
  public RecordSnapshot openSnapshot() {
    return new RecordSnapshot() {
      @Override
      public <E extends StoredRecord> void read(
          CollectionDescriptor<E> collection, RecordConsumer<? super E> consumer)
          throws IOException {
        try (var cursor = documents(collection).find().batchSize(1000).cursor()) {
          while (cursor.hasNext()) {
            consumer.accept(RecordDocuments.toRecord(collection, cursor.next()));
          }
        }
      }

      @Override
      public <E extends StoredRecord> void readOwnedBy(
          CollectionDescriptor<E> collection, String userId, RecordConsumer<? super E> consumer)
          throws IOException {
        try (var cursor =
            documents(collection)
                .find(
                    collection.ownerTable().isPresent()
                        ? owning(List.of(new BsonString(userId)), false)
                        : Filters.eq(key(OwnedRecord.OWNER_FIELD), new BsonString(userId)))
                .sort(Sorts.ascending(ID))
                .batchSize(1000)
                .cursor()) {
          while (cursor.hasNext()) {
            consumer.accept(RecordDocuments.toRecord(collection, cursor.next()));
          }
        }
      }

      @Override
      public void close() {
        // Each read closed its cursor.
      }
    };
  }

  /**
   * One ordered bulk of upserts by id that set the document only when they insert it ({@code
   * $setOnInsert}): a stored id is left as it is. Like every write here, not all or nothing.
   */
  @Override
  public <E extends StoredRecord> long insertIfAbsent(
      CollectionDescriptor<E> collection, List<E> records) {
    if (records.isEmpty()) {
      return 0;
    }
    List<WriteModel<BsonDocument>> upserts = new ArrayList<>();
    for (E record : records) {
      BsonDocument document = RecordDocuments.toDocument(collection, record);
      BsonValue id = document.remove(RecordDocuments.ID);
      upserts.add(
          new UpdateOneModel<>(
              Filters.eq(RecordDocuments.ID, id),
              new BsonDocument("$setOnInsert", document),
              new UpdateOptions().upsert(true)));
    }
    return documents(collection).bulkWrite(upserts).getUpserts().size();
  }

  /** The documents as they are, version included; like every write here, not all or nothing. */
  @Override
  public <E extends StoredRecord> void restore(
      CollectionDescriptor<E> collection, List<E> records) {
    if (records.isEmpty()) {
      return;
    }
    documents(collection)
        .insertMany(records.stream().map(r -> RecordDocuments.toDocument(collection, r)).toList());
  }

  /** The staging copy is a collection of its own ({@code <name>_staging}), dropped whole. */
  @Override
  public void clearStaging(CollectionDescriptor<?> collection) {
    staging(collection).drop();
  }

  @Override
  public <E extends StoredRecord> void stage(CollectionDescriptor<E> collection, List<E> records) {
    if (!records.isEmpty()) {
      staging(collection)
          .insertMany(
              records.stream().map(r -> RecordDocuments.toDocument(collection, r)).toList());
    }
  }

  /** One delete per erasure: erasures are few beside records. */
  @Override
  public long dropStagedErased(
      CollectionDescriptor<?> collection, CollectionDescriptor<?> erasures) {
    String erasedAt = erasures.timeField();
    long dropped = 0;
    try (var cursor = documents(erasures).find().batchSize(1000).cursor()) {
      while (cursor.hasNext()) {
        BsonDocument erasure = cursor.next();
        dropped +=
            staging(collection)
                .deleteMany(
                    Filters.and(
                        Filters.eq(OwnedRecord.OWNER_FIELD, erasure.get(OwnedRecord.OWNER_FIELD)),
                        Filters.lt("createdAt", erasure.get(erasedAt))))
                .getDeletedCount();
      }
    }
    return dropped;
  }

  /**
   * Document by document, a batch at a time: not atomic (MongoDB without a replica set has no
   * transactions), which is why a restore switches here only in maintenance, and records the switch
   * first ({@link #recordSwitch}) so that one interrupted is completed by running it again. Hence
   * each document is copied only if its id is absent from the collection: a run after a partial
   * copy neither duplicates a document nor fails on one already copied. (With {@code replace}, the
   * delete before takes away what an earlier run copied, but for documents created since {@code
   * keepSince}.)
   */
  @Override
  public long switchStaged(
      CollectionDescriptor<?> collection, boolean replace, java.time.Instant keepSince) {
    MongoCollection<BsonDocument> live = documents(collection);
    if (replace) {
      live.deleteMany(
          keepSince == null
              ? new BsonDocument()
              : Filters.lt("createdAt", RecordDocuments.toBson(FieldType.TIME, keepSince)));
    }
    long moved = 0;
    List<BsonDocument> batch = new ArrayList<>();
    try (var cursor = staging(collection).find().batchSize(1000).cursor()) {
      while (cursor.hasNext()) {
        batch.add(cursor.next());
        if (batch.size() == 1000 || !cursor.hasNext()) {
          moved += copyMissing(live, batch);
          batch.clear();
        }
      }
    }
    return moved;
  }

  private static long copyMissing(MongoCollection<BsonDocument> live, List<BsonDocument> batch) {
    java.util.Set<BsonValue> present = new java.util.HashSet<>();
    live.find(Filters.in(ID, batch.stream().map(d -> d.get(ID)).toList()))
        .projection(Projections.include(ID))
        .forEach(d -> present.add(d.get(ID)));
    List<BsonDocument> copied = batch.stream().filter(d -> !present.contains(d.get(ID))).toList();
    if (!copied.isEmpty()) {
      live.insertMany(copied);
    }
    return copied.size();
  }

  /**
   * The one document of a collection of its own ({@value #SWITCHES}), replaced whole at each step:
   * a single-document write, which MongoDB makes atomic and durable (as acknowledged) on its own.
   * The plan is kept as a document, for an operator to read.
   */
  @Override
  public void recordSwitch(String plan) {
    switches()
        .replaceOne(
            Filters.eq(ID, SWITCH_ID),
            new BsonDocument(ID, SWITCH_ID).append("plan", BsonDocument.parse(plan)),
            new com.mongodb.client.model.ReplaceOptions().upsert(true));
  }

  @Override
  public Optional<String> recordedSwitch() {
    return Optional.ofNullable(switches().find(Filters.eq(ID, SWITCH_ID)).first())
        .map(document -> document.getDocument("plan").toJson());
  }

  @Override
  public void forgetSwitch() {
    switches().deleteOne(Filters.eq(ID, SWITCH_ID));
  }

  /** Where a restore's switch is recorded while it runs (see {@link #recordSwitch}). */
  public static final String SWITCHES = "restore_switch";

  private static final BsonString SWITCH_ID = new BsonString("switch");

  private MongoCollection<BsonDocument> switches() {
    return database.getCollection(SWITCHES, BsonDocument.class);
  }

  private MongoCollection<BsonDocument> staging(CollectionDescriptor<?> collection) {
    return database.getCollection(collection.name() + "_staging", BsonDocument.class);
  }

  /** Closes the client if this store opened it ({@link #connect}); otherwise does nothing. */
  @Override
  @PreDestroy
  public void close() {
    if (ownedClient != null) {
      ownedClient.close();
    }
  }

  /**
   * One unordered bulk write of conditional updates: an entry already in a block keeps it, so a
   * sealer that runs again after a crash places only what is still unplaced.
   */
  @Override
  public long placeInBlock(long block, List<UUID> entries) {
    if (entries.isEmpty()) {
      return 0;
    }
    List<WriteModel<BsonDocument>> placements = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      placements.add(
          new UpdateOneModel<>(
              Filters.and(byId(entries.get(i)), Filters.eq("block", BsonNull.VALUE)),
              Updates.combine(
                  Updates.set("block", new BsonInt64(block)),
                  Updates.set("position", new BsonInt64(i)))));
    }
    return database
        .getCollection(LedgerStore.ENTRIES, BsonDocument.class)
        .bulkWrite(placements, new BulkWriteOptions().ordered(false))
        .getModifiedCount();
  }

  @Override
  public long unplaceAll() {
    return database
        .getCollection(LedgerStore.ENTRIES, BsonDocument.class)
        .updateMany(
            Filters.gt("block", new BsonInt64(0)),
            Updates.combine(
                Updates.set("block", BsonNull.VALUE), Updates.set("position", BsonNull.VALUE)))
        .getModifiedCount();
  }

  /** None: reads find the entries by the users they name themselves, indexed as they are. */
  @Override
  public Optional<Map<UUID, Set<String>>> listedOwners(Collection<UUID> entries) {
    return Optional.empty();
  }

  private MongoCollection<BsonDocument> documents(CollectionDescriptor<?> collection) {
    return database.getCollection(collection.name(), BsonDocument.class);
  }

  private static FieldDefinition versionField(CollectionDescriptor<?> collection) {
    return collection.schema().field(VERSION).orElseThrow();
  }

  private static Bson byId(UUID id) {
    return Filters.eq(ID, new BsonString(id.toString()));
  }

  private static Bson atVersion(UUID id, long version) {
    return Filters.and(byId(id), Filters.eq(VERSION, new BsonInt64(version)));
  }

  private Bson where(CollectionDescriptor<?> collection, List<Filter> filters) {
    return where(collection, filters, TimeKeyRange.ALL);
  }

  private Bson where(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    List<Bson> conditions =
        new ArrayList<>(
            filters.stream()
                .filter(f -> f.operator() != FilterOperator.OWNER_IN)
                .map(f -> ownedCondition(collection, f).orElseGet(() -> condition(collection, f)))
                .toList());
    if (range.bounded()) {
      conditions.addAll(inRange(key(collection.timeField()), range));
    }
    Bson matching = and(conditions);
    for (Filter owners : filters) {
      if (owners.operator() == FilterOperator.OWNER_IN) {
        conditions.add(ownerCondition(collection, owners, matching));
      }
    }
    return and(conditions);
  }

  /**
   * A filter on the owner of a collection whose records may name several owners (see {@link
   * CollectionDescriptor#ownerTable()}; MongoDB needs no owner table, it indexes the named owners
   * themselves): the records whose owners the filter takes, their {@code userId} when they name
   * none. A filter that is not (not equal to an owner, not among owners) holds when no owner of the
   * record is one it refuses. Empty for any other filter.
   */
  private static Optional<Bson> ownedCondition(CollectionDescriptor<?> collection, Filter filter) {
    if (collection.ownerTable().isEmpty()
        || !filter.field().equals(OwnedRecord.OWNER_FIELD)
        || !(filter.operator() == FilterOperator.EQ
            || filter.operator() == FilterOperator.NEQ
            || filter.operator() == FilterOperator.IN)) {
      return Optional.empty();
    }
    boolean refusing = filter.negated() != (filter.operator() == FilterOperator.NEQ);
    List<BsonValue> taken =
        filter.values().stream().map(v -> (BsonValue) new BsonString((String) v)).toList();
    return Optional.of(owning(taken, refusing));
  }

  /** The records one of whose owners is among {@code owners} (refusing: none of whose is). */
  private static Bson owning(List<BsonValue> owners, boolean refusing) {
    String named = key(RecordOwner.NAMED_OWNERS_FIELD);
    Bson owning =
        Filters.or(
            Filters.and(Filters.eq(named, null), Filters.in(key(OwnedRecord.OWNER_FIELD), owners)),
            Filters.in(named, owners));
    return refusing ? Filters.nor(owning) : owning;
  }

  /** MongoDB refuses an empty $and. */
  private static Bson and(List<Bson> conditions) {
    return switch (conditions.size()) {
      case 0 -> Filters.empty();
      case 1 -> conditions.get(0);
      default -> Filters.and(new ArrayList<>(conditions));
    };
  }

  /**
   * {@link FilterOperator#OWNER_IN} without a join, which MongoDB's deletes and counts do not have:
   * the distinct owners of the documents the other conditions match are read (a streamed {@code
   * $group}), looked up in the owners' collection a thousand at a time, and the condition becomes
   * {@code $in} (negated, {@code $nin}) the owners found there. Memory grows with the owners found
   * (for retention: the held users that have expired documents in the range), with no cap. Like
   * every operation here it is not atomic: a hold placed between the look-up and the delete is not
   * seen by that delete (see docs/privacy.md).
   */
  private Bson ownerCondition(CollectionDescriptor<?> collection, Filter filter, Bson matching) {
    CollectionDescriptor<?> owners = (CollectionDescriptor<?>) filter.value();
    String field = key(filter.field());
    Set<BsonValue> found = new LinkedHashSet<>();
    findOwners(
        collection,
        owners,
        List.of(Aggregates.match(matching), Aggregates.group("$" + field)),
        found);
    if (collection.ownerTable().isPresent() && filter.field().equals(OwnedRecord.OWNER_FIELD)) {
      // The owners the records name, when they name several, are owners too.
      String named = key(RecordOwner.NAMED_OWNERS_FIELD);
      findOwners(
          collection,
          owners,
          List.of(
              Aggregates.match(matching),
              Aggregates.unwind("$" + named),
              Aggregates.group("$" + named)),
          found);
      return owning(List.copyOf(found), filter.negated());
    }
    List<BsonValue> among = List.copyOf(found);
    return Filters.and(
        Filters.ne(field, null),
        filter.negated() ? Filters.nin(field, among) : Filters.in(field, among));
  }

  /**
   * Adds to {@code found} the values that the pipeline groups the collection's documents by (as
   * {@code _id}) and that the owners' collection holds, looked up a thousand at a time.
   */
  private void findOwners(
      CollectionDescriptor<?> collection,
      CollectionDescriptor<?> owners,
      List<Bson> pipeline,
      Set<BsonValue> found) {
    String ownerKey = key(OwnedRecord.OWNER_FIELD);
    List<BsonValue> batch = new ArrayList<>();
    for (BsonDocument group : documents(collection).aggregate(pipeline).batchSize(OWNER_LOOKUP)) {
      BsonValue owner = group.get(ID);
      if (owner != null && !owner.isNull()) {
        batch.add(owner);
      }
      if (batch.size() == OWNER_LOOKUP) {
        lookUpOwners(owners, ownerKey, batch, found);
      }
    }
    lookUpOwners(owners, ownerKey, batch, found);
  }

  private static final int OWNER_LOOKUP = 1000;

  private void lookUpOwners(
      CollectionDescriptor<?> owners,
      String ownerKey,
      List<BsonValue> batch,
      Set<BsonValue> found) {
    if (batch.isEmpty()) {
      return;
    }
    for (BsonDocument owner :
        documents(owners)
            .find(Filters.in(ownerKey, batch))
            .projection(Projections.include(ownerKey))) {
      found.add(owner.get(ownerKey));
    }
    batch.clear();
  }

  /**
   * A range of the (time, id) order: the bounds on the time alone delimit an index scan on the
   * time, and the id decides only among the documents at a bound's own instant. Ids are canonical
   * UUID text, whose lexical order is the unsigned byte order PostgreSQL's uuid sorts by, so every
   * backend walks a collection in the same order.
   */
  private static List<Bson> inRange(String time, TimeKeyRange range) {
    List<Bson> conditions = new ArrayList<>();
    TimeKey after = range.after();
    if (after != null) {
      BsonValue afterTime = RecordDocuments.toBson(FieldType.TIME, after.time());
      conditions.add(Filters.gte(time, afterTime));
      conditions.add(
          Filters.or(
              Filters.gt(time, afterTime), Filters.gt(ID, new BsonString(after.id().toString()))));
    }
    TimeKey upTo = range.upTo();
    if (upTo != null) {
      BsonValue upToTime = RecordDocuments.toBson(FieldType.TIME, upTo.time());
      conditions.add(Filters.lte(time, upToTime));
      conditions.add(
          Filters.or(
              Filters.lt(time, upToTime), Filters.lte(ID, new BsonString(upTo.id().toString()))));
    }
    return conditions;
  }

  /**
   * The documents after a key in the default order, newest first and then by id (the same as {@link
   * #inRange}, the other way round in time).
   */
  private static Bson afterKey(String time, TimeKey after) {
    BsonValue afterTime = RecordDocuments.toBson(FieldType.TIME, after.time());
    return Filters.and(
        Filters.lte(time, afterTime),
        Filters.or(
            Filters.lt(time, afterTime), Filters.gt(ID, new BsonString(after.id().toString()))));
  }

  private static Bson condition(CollectionDescriptor<?> collection, Filter filter) {
    String field = key(filter.field());
    FieldType type = collection.schema().field(filter.field()).orElseThrow().type();
    if (filter.value() == null) { // is.null; the parser allows null nowhere else
      return filter.negated() ? Filters.ne(field, null) : Filters.eq(field, null);
    }
    BsonValue value = RecordDocuments.toBson(type, filter.value());
    Bson comparison =
        switch (filter.operator()) {
          case EQ, IS -> Filters.eq(field, value);
          case NEQ -> Filters.ne(field, value);
          case GT -> Filters.gt(field, value);
          case GTE -> Filters.gte(field, value);
          case LT -> Filters.lt(field, value);
          case LTE -> Filters.lte(field, value);
          case IN ->
              Filters.in(
                  field,
                  filter.values().stream().map(v -> RecordDocuments.toBson(type, v)).toList());
          case OWNER_IN -> throw new IllegalStateException("answered by ownerCondition");
        };
    // In SQL a comparison with null is unknown, so neither it nor its negation matches a null
    // field; MongoDB's $ne, $nin and $nor would match it. Requiring a value keeps the SQL meaning.
    Bson hasValue = Filters.ne(field, null);
    return Filters.and(hasValue, filter.negated() ? Filters.nor(comparison) : comparison);
  }

  /** The query's order (see {@link RecordQuery#effectiveOrder}). */
  private static Bson order(CollectionDescriptor<?> collection, RecordQuery query) {
    return Sorts.orderBy(
        query.effectiveOrder(collection.timeField()).stream()
            .map(
                k ->
                    k.ascending()
                        ? Sorts.ascending(key(k.field()))
                        : Sorts.descending(key(k.field())))
            .toList());
  }
}
