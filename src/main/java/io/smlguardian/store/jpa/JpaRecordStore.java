package io.smlguardian.store.jpa;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.accesslog.LedgerStore;
import io.smlguardian.store.collection.AlreadyStoredException;
import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordOwner;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.Table;
import jakarta.persistence.criteria.CommonAbstractCriteria;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaDelete;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.criteria.Subquery;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.persistence.queries.ModifyQuery;
import org.eclipse.persistence.sessions.UnitOfWork;

/**
 * The store on a relational database through JPA. Queries are built with the Criteria API from
 * validated {@link RecordQuery} objects, so field names are entity attributes and values are bound
 * parameters; nothing from a request is ever spliced into SQL.
 *
 * <p>What PostgreSQL, SQLite and H2 share: the schema differs only by Flyway's vendor scripts, and
 * EclipseLink's platform hides the rest. Several writes in one JTA transaction are all or nothing
 * here. What one vendor does its own way (user and table locks, sizes, SQLite's encoding of times
 * and uuids, an insert that skips stored ids, the pool) its subclass says: {@link
 * PostgresqlRecordStore}, {@link SqliteRecordStore}, {@link H2RecordStore}.
 *
 * <p>The subclasses are application-scoped beans, with the container's transaction-scoped entity
 * manager and the jdbc/guardian datasource injected; tests construct them on their own entity
 * manager and datasource.
 */
public abstract class JpaRecordStore implements BackendStore, LedgerStore {

  /**
   * Rows per multi-row INSERT of a restore: 100 rows of at most 15 columns stay far below every
   * driver's parameter limit, and take most of the gain over single-row inserts.
   */
  private static final int ROWS_PER_INSERT = 100;

  /** Rows a snapshot's query hands over per round trip: bounded memory, few round trips. */
  private static final int FETCH_SIZE = 5000;

  /** The datasource of the {@code guardian} unit, as server.xml names it. */
  static final String DATASOURCE = "jdbc/guardian";

  private final Map<String, JdbcTable<?>> tables = new ConcurrentHashMap<>();

  @PersistenceContext(unitName = "guardian")
  EntityManager em;

  @Resource(lookup = DATASOURCE)
  DataSource dataSource;

  @Inject
  @ConfigProperty(name = "DB_POOL_SIZE", defaultValue = "10")
  long configuredPoolSize;

  /** For the container, which injects the fields. */
  protected JpaRecordStore() {}

  /**
   * @param em an entity manager of the {@code guardian} unit that stands for the caller's
   *     transaction's
   * @param dataSource the same unit's datasource, whose connections join the caller's transaction
   */
  protected JpaRecordStore(EntityManager em, DataSource dataSource) {
    this.em = em;
    this.dataSource = dataSource;
  }

  @PostConstruct
  void switchOffQueryRetries() {
    NoQueryRetries.applyTo(em); // the service retries whole transactions itself
  }

  /** The datasource, for the subclasses' statements of their own. */
  protected DataSource dataSource() {
    return dataSource;
  }

  /**
   * Whether times and uuids are stored as SQLite's platform writes them ({@link SQLitePlatform}:
   * INTEGER microseconds since the epoch, text), rather than as the SQL types.
   */
  protected boolean sqliteEncoding() {
    return false;
  }

  /**
   * Whether the vendor takes {@code INSERT ... ON CONFLICT (id) DO NOTHING} (PostgreSQL, SQLite
   * 3.24 and later); otherwise {@link #insertIfAbsent} runs a standard MERGE per row.
   */
  protected boolean insertsOnConflict() {
    return true;
  }

  /**
   * Whether {@link #insertNew} inserts plainly: where the vendor's insert-if-absent costs more per
   * row than a plain insert (PostgreSQL's speculative insertion); otherwise it skips stored ids.
   */
  protected boolean insertsNewPlainly() {
    return false;
  }

  /** Where {@link #openSnapshot()} takes its connection: the datasource, unless said otherwise. */
  protected DataSource snapshots() {
    return dataSource;
  }

  /** The most connections the pool opens: {@code DB_POOL_SIZE}, as server.xml sizes the pool. */
  protected long poolMaxSize() {
    return configuredPoolSize;
  }

  @Override
  public <E extends StoredRecord> void insert(CollectionDescriptor<E> collection, List<E> records) {
    records.forEach(em::persist);
    em.flush(); // assigns versions now, and reports constraint failures to this caller
    writeOwners(collection, records, true);
  }

  /**
   * Multi-row INSERTs on the datasource's connection, which joins the caller's transaction, as
   * {@link #insertNew} writes the ingest's records: a bulk of 100 records of 100 users went through
   * the persistence context as 100 INSERTs in a JDBC batch, each a statement of its own for the
   * database, and as 100 objects registered, cloned and compared in its unit of work; written here,
   * a bulk cost the server about a third less CPU in paired API benchmark runs
   * (docs/benchmarks.md).
   */
  @Override
  public <E extends StoredRecord> void insertFinished(
      CollectionDescriptor<E> collection, List<E> records) {
    records.forEach(StoredRecord::assignFirstInsert);
    insertOrSkip(collection, records, false);
  }

  /**
   * The owner table's rows of the records (one per owner each), unless stored already, on the
   * datasource's connection, which joins the caller's transaction: for a collection with an owner
   * table (see {@link CollectionDescriptor#ownerTable()}); nothing for the others.
   */
  private <E extends StoredRecord> void writeOwners(
      CollectionDescriptor<E> collection, List<E> records, boolean skipStored) {
    if (collection.ownerTable().isEmpty() || records.isEmpty()) {
      return;
    }
    List<OwnerRow> rows = new ArrayList<>(records.size());
    for (E record : records) {
      for (String owner : ((OwnedRecord) record).owners()) {
        rows.add(new OwnerRow(owner, record.getId()));
      }
    }
    writeOwnerRows(table(collection), rows, skipStored);
  }

  /** A row of an owner table: one owner of one record. */
  private record OwnerRow(String owner, UUID record) {}

  /** The SQL state of a unique constraint's violation (PostgreSQL's and H2's alike). */
  private static final String UNIQUE_VIOLATION = "23505";

  private void writeOwnerRows(JdbcTable<?> table, List<OwnerRow> rows, boolean skipStored) {
    boolean merge = !insertsOnConflict();
    int rowsPerStatement = merge ? 1 : ROWS_PER_INSERT * 5;
    try (Connection connection = dataSource.getConnection()) {
      for (int from = 0; from < rows.size(); from += rowsPerStatement) {
        List<OwnerRow> part = rows.subList(from, Math.min(rows.size(), from + rowsPerStatement));
        try (PreparedStatement insert =
            connection.prepareStatement(table.insertOwners(part.size(), merge, skipStored))) {
          int parameter = 1;
          for (OwnerRow row : part) {
            insert.setString(parameter++, row.owner());
            table.bindId(insert, parameter++, row.record());
          }
          insert.executeUpdate();
        }
      }
    } catch (SQLException e) {
      if (!skipStored && UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new AlreadyStoredException(table.collection(), e);
      }
      throw new IllegalStateException(
          "recording the owners in " + table.table() + " failed: " + e.getMessage(), e);
    }
  }

  /** The owner table's rows of the entries, read a few hundred ids at a time. */
  @Override
  public Optional<Map<UUID, Set<String>>> listedOwners(Collection<UUID> entries) {
    JdbcTable<?> table = table(AccessLogs.COLLECTION);
    Map<UUID, Set<String>> listed = new HashMap<>();
    List<UUID> ids = List.copyOf(entries);
    try (Connection connection = dataSource.getConnection()) {
      for (int from = 0; from < ids.size(); from += ROWS_PER_INSERT * 5) {
        List<UUID> part = ids.subList(from, Math.min(ids.size(), from + ROWS_PER_INSERT * 5));
        try (PreparedStatement select =
            connection.prepareStatement(table.selectOwnersOf(part.size()))) {
          bindIds(table, select, part);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              listed
                  .computeIfAbsent(table.ownedRecord(rows), id -> new TreeSet<>())
                  .add(rows.getString(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading the owners of audit entries failed: " + e.getMessage(), e);
    }
    return Optional.of(listed);
  }

  /**
   * Gives the owner table the rows of the records restored into the collection and takes those of
   * records no longer there: a restore copies records in with SQL of their own columns alone.
   */
  private void rebuildOwners(CollectionDescriptor<?> collection) {
    JdbcTable<?> table = table(collection);
    String what = "rebuilding the owners of " + collection.name();
    update(what, table.deleteOwnersOfNoRecord(), null, null);
    update(what, table.insertOwnersOfSingleOwned(), null, null);
    List<OwnerRow> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(table.selectSeveralOwnedWithoutRows());
        ResultSet found = select.executeQuery()) {
      while (found.next()) {
        UUID id = table.id(found);
        JsonValue owners = table.namedOwners(found);
        if (owners instanceof JsonArray named) {
          for (JsonValue owner : named) {
            if (owner instanceof JsonString text) {
              rows.add(new OwnerRow(text.getString(), id));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
    writeOwnerRows(table, rows, true);
  }

  /**
   * One JDBC batch of UPDATEs on the datasource's connection, which joins the caller's transaction:
   * the version stays as it was (a JPA update would advance it), and so the entries' MACs hold.
   */
  @Override
  public long placeInBlock(long block, List<UUID> entries) {
    String sql =
        "UPDATE "
            + LedgerStore.ENTRIES
            + " SET block_no = ?, block_pos = ? WHERE id = ? AND block_no IS NULL";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(sql)) {
      for (int position = 0; position < entries.size(); position++) {
        update.setLong(1, block);
        update.setLong(2, position);
        if (sqliteEncoding()) {
          update.setString(3, entries.get(position).toString());
        } else {
          update.setObject(3, entries.get(position));
        }
        update.addBatch();
      }
      long placed = 0;
      for (int count : update.executeBatch()) {
        placed += count == Statement.SUCCESS_NO_INFO ? 1 : count;
      }
      return placed;
    } catch (SQLException e) {
      throw new IllegalStateException("placing audit entries failed: " + e.getMessage(), e);
    }
  }

  @Override
  public long unplaceAll() {
    try (Connection connection = dataSource.getConnection();
        Statement update = connection.createStatement()) {
      return update.executeUpdate(
          "UPDATE "
              + LedgerStore.ENTRIES
              + " SET block_no = NULL, block_pos = NULL WHERE block_no > 0");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "taking audit entries out of blocks failed: " + e.getMessage(), e);
    }
  }

  @Override
  public <E extends StoredRecord> Optional<E> findById(
      CollectionDescriptor<E> collection, UUID id) {
    return Optional.ofNullable(em.find(collection.entityClass(), id));
  }

  /**
   * For a collection without an owner table, one SELECT on the datasource's connection, which joins
   * the caller's transaction, read as EclipseLink reads (see {@link JdbcTable#readAsEclipseLink}):
   * a record no persistence context tracks, whose {@link #update} and {@link #delete} are then one
   * statement each. Through EclipseLink, an update or a delete by id spent a third of its resource
   * method's CPU in EclipseLink's own code: the working copy, its changes computed at the flush,
   * the commit (docs/benchmarks.md). A record of a collection with an owner table (the audit
   * trail's, which the API neither updates nor deletes) is read and written through EclipseLink, as
   * before.
   */
  @Override
  public <E extends StoredRecord> Optional<E> findToChange(
      CollectionDescriptor<E> collection, UUID id) {
    if (collection.ownerTable().isPresent()) {
      return findById(collection, id);
    }
    JdbcTable<E> table = table(collection);
    return selected(
            table, table.selectById(), s -> table.bindId(s, 1, id), collection.name() + " " + id)
        .stream()
        .findFirst();
  }

  /**
   * For a collection without an owner table, one SELECT on the datasource's connection, which joins
   * the caller's transaction (the audit trail's shared commit, which writes its entries on it
   * next), read as EclipseLink reads ({@link JdbcTable#readAsEclipseLink}, so that each record is
   * what {@link #findById} gives): no criteria query and no working copies, so that a shared
   * transaction of reads by id and entries alone goes through no EclipseLink at all. Records of a
   * collection with an owner table (the audit trail's) go through EclipseLink, on the transaction's
   * write connection (with SQLite's pool of one, a read from EclipseLink's read pool would hold the
   * only connection the insert needs).
   */
  @Override
  public <E extends StoredRecord> List<E> findByIds(
      CollectionDescriptor<E> collection, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    if (collection.ownerTable().isEmpty()) {
      JdbcTable<E> table = table(collection);
      return selected(
          table, table.selectByIds(ids.size()), s -> bindIds(table, s, ids), collection.name());
    }
    em.unwrap(UnitOfWork.class).beginEarlyTransaction();
    CriteriaBuilder cb = em.getCriteriaBuilder();
    CriteriaQuery<E> criteria = cb.createQuery(collection.entityClass());
    Root<E> root = criteria.from(collection.entityClass());
    criteria.select(root).where(root.get("id").in(ids));
    return em.createQuery(criteria).getResultList();
  }

  /**
   * The rows of one SELECT on the datasource's connection (in the caller's transaction, if any),
   * read as EclipseLink reads them.
   *
   * @param what what is read, for the message of a failure
   */
  private <E extends StoredRecord> List<E> selected(
      JdbcTable<E> table, String sql, Binding binding, String what) {
    List<E> records = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binding.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          records.add(table.readAsEclipseLink(rows));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + what + " failed: " + e.getMessage(), e);
    }
    return records;
  }

  /**
   * One query on the datasource's connection, which joins the caller's transaction (the audit
   * trail's shared commit, which writes its entries on it next): ids, versions and creation times,
   * as plain JDBC reads them ({@link JdbcTable}; creation times are the service's own, never before
   * 1582).
   */
  @Override
  public Map<UUID, RecordCache.Stamp> stamps(
      CollectionDescriptor<?> collection, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    JdbcTable<?> table = table(collection);
    Map<UUID, RecordCache.Stamp> stamps = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(table.selectStampsByIds(ids.size()))) {
      bindIds(table, select, ids);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          stamps.put(table.id(rows), new RecordCache.Stamp(rows.getLong(2), table.time(rows, 3)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading the versions of " + collection.name() + " failed: " + e.getMessage(), e);
    }
    return stamps;
  }

  private static void bindIds(JdbcTable<?> table, PreparedStatement select, Collection<UUID> ids)
      throws SQLException {
    int parameter = 1;
    for (UUID id : ids) {
      table.bindId(select, parameter++, id);
    }
  }

  @Override
  public <E extends StoredRecord> Optional<E> findForUpdate(
      CollectionDescriptor<E> collection, UUID id) {
    return Optional.ofNullable(
        em.find(collection.entityClass(), id, LockModeType.PESSIMISTIC_WRITE));
  }

  @Override
  public <E extends StoredRecord> List<E> find(
      CollectionDescriptor<E> collection, RecordQuery query) {
    CriteriaBuilder cb = em.getCriteriaBuilder();
    CriteriaQuery<E> criteria = cb.createQuery(collection.entityClass());
    Root<E> root = criteria.from(collection.entityClass());
    List<Predicate> where =
        new ArrayList<>(List.of(predicates(cb, criteria, root, collection, query.filters())));
    if (query.after() != null) {
      where.addAll(afterKey(cb, root, collection.timeField(), query.after()));
    }
    criteria.select(root).where(where.toArray(Predicate[]::new));
    criteria.orderBy(order(cb, root, collection, query));
    return em.createQuery(criteria)
        .setFirstResult(query.offset())
        .setMaxResults(query.limit())
        .getResultList();
  }

  /**
   * For a query whose every filter compares a column with values, in a collection without an owner
   * table, one SELECT on the datasource's connection (in the caller's transaction, if any), the
   * statement {@link #find} has EclipseLink write ({@link JdbcTable#select}), its rows read as
   * EclipseLink reads them ({@link JdbcTable#readAsEclipseLink}): no criteria query made and turned
   * into SQL, no working copy of each record registered in the persistence context. Through
   * EclipseLink, the query was two fifths of a page's request (docs/benchmarks.md). Other queries
   * go through {@link #find}.
   */
  @Override
  public <E extends StoredRecord> List<E> findReadOnly(
      CollectionDescriptor<E> collection, RecordQuery query) {
    JdbcTable<E> table = table(collection);
    Optional<JdbcTable.Select> select = table.select(query);
    if (select.isEmpty()) {
      return find(collection, query);
    }
    return selected(table, select.get().sql(), s -> table.bind(s, select.get()), collection.name());
  }

  @Override
  public long count(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    CriteriaBuilder cb = em.getCriteriaBuilder();
    CriteriaQuery<Long> criteria = cb.createQuery(Long.class);
    Root<?> root = criteria.from(collection.entityClass());
    criteria
        .select(cb.count(root))
        .where(where(cb, criteria, root, collection, filters, collection.timeField(), range));
    return em.createQuery(criteria).getSingleResult();
  }

  /**
   * A record the persistence context tracks is written by its flush; one read by {@link
   * #findToChange} is written whole by one UPDATE at the version it was read at, as the MongoDB
   * store replaces a document.
   */
  @Override
  public <E extends StoredRecord> void update(CollectionDescriptor<E> collection, E record) {
    if (tracked(collection, record)) {
      flushGuarded(collection, record);
      return;
    }
    long read = record.getVersion();
    FieldDefinition version = collection.schema().field("version").orElseThrow();
    version.write(record, read + 1);
    JdbcTable<E> table = table(collection);
    atVersion(
        collection,
        record,
        table.updateAtVersion(),
        statement -> {
          int next = table.bindNew(statement, 1, record);
          table.bindId(statement, next, record.getId());
          statement.setLong(next + 1, read);
        },
        () -> version.write(record, read));
  }

  @Override
  public <E extends StoredRecord> void delete(CollectionDescriptor<E> collection, E record) {
    if (tracked(collection, record)) {
      em.remove(record);
      flushGuarded(collection, record);
      return;
    }
    JdbcTable<E> table = table(collection);
    atVersion(
        collection,
        record,
        table.deleteAtVersion(),
        statement -> {
          table.bindId(statement, 1, record.getId());
          statement.setLong(2, record.getVersion());
        },
        () -> {});
  }

  /**
   * Whether the record is the persistence context's to write: one it tracks, and every record of a
   * collection with an owner table, which {@link #findToChange} reads through it as {@link
   * #findById} does.
   */
  private boolean tracked(CollectionDescriptor<?> collection, StoredRecord record) {
    return collection.ownerTable().isPresent() || em.contains(record);
  }

  /** Parameters bound to a statement. */
  private interface Binding {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Runs an UPDATE or DELETE of one row at one version on the datasource's connection (which joins
   * the caller's transaction); no row matched means someone changed or deleted the record since it
   * was read. On a failure, {@code undo} puts the record back as it was read.
   */
  private void atVersion(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      String sql,
      Binding binding,
      Runnable undo) {
    int matched;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binding.bind(statement);
      matched = statement.executeUpdate();
    } catch (SQLException e) {
      undo.run();
      throw new IllegalStateException(
          "writing " + collection.name() + " " + record.getId() + " failed: " + e.getMessage(), e);
    }
    if (matched == 0) {
      undo.run();
      throw new VersionConflictException(collection, record.getId(), "was changed concurrently");
    }
  }

  /**
   * One bulk DELETE, within the caller's transaction; the database's own count of what it removed.
   * In a collection with an owner table, the owner rows of the records go first, by a DELETE of
   * their own that finds the records by the same filters; a filter that keeps only some owners'
   * records would no longer find them then, and is refused (the one such collection, the audit
   * trail, is never deleted by owner).
   */
  @Override
  public long deleteMatching(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    if (collection.ownerTable().isPresent()) {
      if (filters.stream().anyMatch(JpaRecordStore::keepsOnlySomeOwners)) {
        throw new IllegalArgumentException(
            collection.name() + " is never deleted by owner: " + filters);
      }
      deleteOwnerRows(collection, filters, range);
    }
    return deleteAll(collection, filters, range);
  }

  private static boolean keepsOnlySomeOwners(Filter filter) {
    return filter.field().equals(OwnedRecord.OWNER_FIELD)
        && !filter.negated()
        && filter.operator() != FilterOperator.NEQ;
  }

  /**
   * {@code DELETE FROM <owner table> o WHERE EXISTS (SELECT 1 FROM <table> r WHERE r.id =
   * o.record_id AND <filters>)}
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void deleteOwnerRows(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    Class ownerTable = collection.ownerTable().orElseThrow();
    CriteriaBuilder cb = em.getCriteriaBuilder();
    CriteriaDelete delete = cb.createCriteriaDelete(ownerTable);
    Root<?> owner = delete.from(ownerTable);
    Subquery<UUID> records = delete.subquery(UUID.class);
    Root<?> record = records.from(collection.entityClass());
    List<Predicate> where =
        new ArrayList<>(
            List.of(
                where(cb, records, record, collection, filters, collection.timeField(), range)));
    where.add(cb.equal(record.get("id"), owner.get(RecordOwner.RECORD_FIELD)));
    records.select(record.get("id")).where(where.toArray(Predicate[]::new)); // see owned()
    delete.where(cb.exists(records));
    Query query = em.createQuery(delete);
    query.unwrap(ModifyQuery.class).setIsBatchExecutionSupported(false); // as in deleteAll
    query.executeUpdate();
  }

  @Override
  public Optional<TimeKey> timeKeyAt(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKey after, int position) {
    if (position < 1) {
      throw new IllegalArgumentException("position must be at least 1");
    }
    CriteriaBuilder cb = em.getCriteriaBuilder();
    CriteriaQuery<Object[]> criteria = cb.createQuery(Object[].class);
    Root<?> root = criteria.from(collection.entityClass());
    Expression<Instant> time = root.get(collection.timeField());
    Expression<UUID> id = root.get("id");
    List<Predicate> where =
        new ArrayList<>(
            List.of(
                where(
                    cb,
                    criteria,
                    root,
                    collection,
                    filters,
                    collection.timeField(),
                    TimeKeyRange.after(after))));
    where.add(cb.isNotNull(time));
    criteria
        .multiselect(time, id)
        .where(where.toArray(Predicate[]::new))
        .orderBy(cb.asc(time), cb.asc(id));
    return em
        .createQuery(criteria)
        .setFirstResult(position - 1)
        .setMaxResults(1)
        .getResultList()
        .stream()
        .findFirst()
        .map(row -> new TimeKey((Instant) row[0], (UUID) row[1]));
  }

  private <E extends StoredRecord> int deleteAll(
      CollectionDescriptor<E> collection, List<Filter> filters, TimeKeyRange range) {
    CriteriaBuilder cb = em.getCriteriaBuilder();
    CriteriaDelete<E> delete = cb.createCriteriaDelete(collection.entityClass());
    Root<E> root = delete.from(collection.entityClass());
    delete.where(where(cb, delete, root, collection, filters, collection.timeField(), range));
    Query query = em.createQuery(delete);
    // Under JDBC batch writing (on for inserts of many records) EclipseLink would queue this
    // statement in the batch and report 1 row, whatever it deleted: run it on its own instead.
    query.unwrap(ModifyQuery.class).setIsBatchExecutionSupported(false);
    return query.executeUpdate();
  }

  /** No lock by default: SQLite's one connection runs transactions one at a time. */
  @Override
  public void lockUser(String userId) {}

  @Override
  public boolean supportsAtomicWrites() {
    return true;
  }

  /** {@code SELECT 1} on a connection of its own, outside any transaction. */
  @Override
  public void ping() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
    } catch (SQLException e) {
      throw new IllegalStateException(backend() + " unreachable: " + e.getMessage(), e);
    }
  }

  /** From the metadata of a connection of its own. */
  @Override
  public StoreConnection connection() {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData metadata = connection.getMetaData();
      return new StoreConnection(
          metadata.getURL(),
          metadata.getUserName(),
          metadata.getDatabaseProductName() + " " + metadata.getDatabaseProductVersion());
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Open Liberty's figures of the jdbc/guardian pool. */
  @Override
  public Optional<ConnectionPoolFigures> connectionPool() {
    return LibertyPools.figures(DATASOURCE, poolMaxSize());
  }

  /**
   * Not measured by default: H2 in memory reports no sizes (its {@code DISK_SPACE_USED} answers 0),
   * nor does SQLite unless built with its dbstat table, which is not relied on.
   */
  @Override
  public StorageSize storageSize(CollectionDescriptor<?> collection) {
    return StorageSize.unknown("not measured on " + backend());
  }

  static String tableOf(CollectionDescriptor<?> collection) {
    Table table = collection.entityClass().getAnnotation(Table.class);
    return table == null || table.name().isBlank() ? collection.name() : table.name();
  }

  /**
   * Plain JDBC on a connection of its own, outside any JTA transaction: one local transaction at
   * repeatable read (serializable on H2), so every table is read as of the same moment, each with
   * one streamed query (PostgreSQL sends rows by the fetch size once auto-commit is off; H2 spills
   * large results to disk).
   */
  @Override
  public RecordSnapshot openSnapshot() {
    try {
      return new JdbcSnapshot(snapshots().getConnection());
    } catch (SQLException e) {
      throw new IllegalStateException(backend() + ": cannot open a snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * Multi-row INSERTs on the datasource's connection, which joins the caller's JTA transaction: the
   * rows go in as they are, without the persistence context (which would assign a new version).
   */
  @Override
  public <E extends StoredRecord> void restore(
      CollectionDescriptor<E> collection, List<E> records) {
    insertRows(collection, records, false);
    writeOwners(collection, records, true);
  }

  @Override
  public <E extends StoredRecord> void stage(CollectionDescriptor<E> collection, List<E> records) {
    insertRows(collection, records, true);
  }

  private <E extends StoredRecord> void insertRows(
      CollectionDescriptor<E> collection, List<E> records, boolean staged) {
    if (records.isEmpty()) {
      return;
    }
    JdbcTable<E> table = table(collection);
    int whole = records.size() / ROWS_PER_INSERT;
    int rest = records.size() % ROWS_PER_INSERT;
    try (Connection connection = dataSource.getConnection()) {
      if (whole > 0) {
        try (PreparedStatement insert =
            connection.prepareStatement(
                staged ? table.insertStaged(ROWS_PER_INSERT) : table.insert(ROWS_PER_INSERT))) {
          for (int group = 0; group < whole; group++) {
            int parameter = 1;
            for (E record :
                records.subList(group * ROWS_PER_INSERT, (group + 1) * ROWS_PER_INSERT)) {
              parameter = table.bind(insert, parameter, record);
            }
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
      if (rest > 0) {
        try (PreparedStatement insert =
            connection.prepareStatement(staged ? table.insertStaged(rest) : table.insert(rest))) {
          int parameter = 1;
          for (E record : records.subList(whole * ROWS_PER_INSERT, records.size())) {
            parameter = table.bind(insert, parameter, record);
          }
          insert.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          (staged ? "staging " : "restoring ") + collection.name() + " failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * The staging copies are tables of the schema ({@code <table>_staging}, created by the
   * migrations: the service's database user may not create tables), emptied with a DELETE (it may
   * not TRUNCATE either), in the caller's transaction.
   */
  @Override
  public void clearStaging(CollectionDescriptor<?> collection) {
    update(
        "emptying the staging copy of " + collection.name(),
        table(collection).clearStaging(),
        null,
        null);
  }

  @Override
  public long dropStagedErased(
      CollectionDescriptor<?> collection, CollectionDescriptor<?> erasures) {
    return update(
        "leaving erased users out of " + collection.name(),
        table(collection).deleteStagedErased(table(erasures)),
        null,
        null);
  }

  @Override
  public long switchStaged(CollectionDescriptor<?> collection, boolean replace, Instant keepSince) {
    JdbcTable<?> table = table(collection);
    String what = "switching in the restored " + collection.name();
    if (replace) {
      update(what, table.deleteLive(keepSince != null), table, keepSince);
    }
    long copied = update(what, table.copyStaged(!replace), null, null);
    if (collection.ownerTable().isPresent()) {
      rebuildOwners(collection);
    }
    return copied;
  }

  /** No table lock by default: SQLite has one writer at a time anyway; H2 is this server's. */
  @Override
  public void lockCollection(CollectionDescriptor<?> collection, boolean exclusive) {}

  /** One statement on the datasource's connection, in the caller's transaction. */
  long update(String what, String sql, JdbcTable<?> timeOf, Instant time) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (time != null) {
        timeOf.bindTime(statement, 1, time);
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Multi-row inserts that skip stored ids ({@link JdbcTable#insertIfAbsent}), on the datasource's
   * connection, which joins the caller's JTA transaction; one row per statement on H2. The update
   * counts are the rows inserted.
   */
  @Override
  public <E extends StoredRecord> long insertIfAbsent(
      CollectionDescriptor<E> collection, List<E> records) {
    return insertOrSkip(collection, records, true);
  }

  /** Plain multi-row inserts where the vendor {@link #insertsNewPlainly}, else insertIfAbsent. */
  @Override
  public <E extends StoredRecord> long insertNew(
      CollectionDescriptor<E> collection, List<E> records) {
    return insertOrSkip(collection, records, !insertsNewPlainly());
  }

  /** Multi-row inserts of the records, skipping those stored already if {@code skipStored}. */
  private <E extends StoredRecord> long insertOrSkip(
      CollectionDescriptor<E> collection, List<E> records, boolean skipStored) {
    JdbcTable<E> table = table(collection);
    boolean merge = skipStored && !insertsOnConflict();
    int rowsPerStatement = merge ? 1 : ROWS_PER_INSERT;
    long inserted = 0;
    try (Connection connection = dataSource.getConnection()) {
      for (int from = 0; from < records.size(); from += rowsPerStatement) {
        List<E> rows = records.subList(from, Math.min(records.size(), from + rowsPerStatement));
        try (PreparedStatement insert =
            connection.prepareStatement(
                skipStored
                    ? table.insertIfAbsent(rows.size(), merge)
                    : table.insert(rows.size()))) {
          int parameter = 1;
          for (E record : rows) {
            if (merge) {
              insert.setObject(parameter++, record.getId()); // the MERGE's key
            }
            parameter = table.bindNew(insert, parameter, record);
          }
          inserted += insert.executeUpdate();
        }
      }
    } catch (SQLException e) {
      if (!skipStored && UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new AlreadyStoredException(collection, e);
      }
      throw new IllegalStateException(
          "inserting into " + collection.name() + " failed: " + e.getMessage(), e);
    }
    writeOwners(collection, records, skipStored);
    return inserted;
  }

  @SuppressWarnings("unchecked")
  <E extends StoredRecord> JdbcTable<E> table(CollectionDescriptor<E> collection) {
    return (JdbcTable<E>)
        tables.computeIfAbsent(collection.name(), n -> JdbcTable.of(collection, sqliteEncoding()));
  }

  /** A repeatable-read local transaction on one connection; rolled back at close (it only read). */
  private final class JdbcSnapshot implements RecordSnapshot {

    private final Connection connection;
    private final int isolation;

    JdbcSnapshot(Connection connection) throws SQLException {
      this.connection = connection;
      try {
        this.isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(snapshotIsolation(connection));
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    }

    /**
     * Repeatable read, which reads one snapshot of the whole database on PostgreSQL and SQLite. Not
     * on H2: there rows committed meanwhile appear in a table read after they were (phantoms), so a
     * backup would hold records newer than the tables read before; its serializable level reads one
     * snapshot. (The store contract's aSnapshotSeesOneMomentWhereWritesAreAtomic shows both.)
     */
    private static int snapshotIsolation(Connection connection) throws SQLException {
      return connection.getMetaData().getDatabaseProductName().equalsIgnoreCase("H2")
          ? Connection.TRANSACTION_SERIALIZABLE
          : Connection.TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public <E extends StoredRecord> void read(
        CollectionDescriptor<E> collection, RecordConsumer<? super E> consumer) throws IOException {
      JdbcTable<E> table = table(collection);
      try (PreparedStatement query =
          connection.prepareStatement(
              table.selectAll(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        query.setFetchSize(FETCH_SIZE);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            consumer.accept(table.read(rows));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "reading " + collection.name() + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public <E extends StoredRecord> void readOwnedBy(
        CollectionDescriptor<E> collection, String userId, RecordConsumer<? super E> consumer)
        throws IOException {
      JdbcTable<E> table = table(collection);
      try (PreparedStatement query =
          connection.prepareStatement(
              table.selectOwnedBy(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        query.setFetchSize(FETCH_SIZE);
        query.setString(1, userId);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            consumer.accept(table.read(rows));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "reading " + collection.name() + " of a user failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        connection.rollback();
        connection.setTransactionIsolation(isolation);
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        throw new IllegalStateException("ending a snapshot failed: " + e.getMessage(), e);
      } finally {
        try {
          connection.close();
        } catch (SQLException e) {
          // The pool discards a connection it cannot take back.
        }
      }
    }
  }

  /** Flushes now, so that a lost race on the version is this caller's conflict, not a 500. */
  private void flushGuarded(CollectionDescriptor<?> collection, StoredRecord record) {
    try {
      em.flush();
    } catch (OptimisticLockException e) {
      throw new VersionConflictException(collection, record.getId(), "was changed concurrently");
    }
  }

  private static Predicate[] predicates(
      CriteriaBuilder cb,
      CommonAbstractCriteria query,
      Root<?> root,
      CollectionDescriptor<?> collection,
      List<Filter> filters) {
    return filters.stream()
        .map(f -> predicate(cb, query, root, collection, f))
        .toArray(Predicate[]::new);
  }

  /** The filters' predicates and the range's. */
  private static Predicate[] where(
      CriteriaBuilder cb,
      CommonAbstractCriteria query,
      Root<?> root,
      CollectionDescriptor<?> collection,
      List<Filter> filters,
      String timeField,
      TimeKeyRange range) {
    List<Predicate> where =
        new ArrayList<>(List.of(predicates(cb, query, root, collection, filters)));
    where.addAll(inRange(cb, root, timeField, range));
    return where.toArray(Predicate[]::new);
  }

  /**
   * A range of the (time, id) order as predicates an index on (time, id) answers as one index
   * range: the bounds on the time alone delimit the scan, and the id decides only among the records
   * at a bound's own instant. (Standard JPA has no row-value comparison.)
   */
  private static List<Predicate> inRange(
      CriteriaBuilder cb, Root<?> root, String timeField, TimeKeyRange range) {
    List<Predicate> where = new ArrayList<>();
    if (!range.bounded()) {
      return where; // also for collections without a time field
    }
    Expression<Instant> time = root.get(timeField);
    Expression<UUID> id = root.get("id");
    TimeKey after = range.after();
    if (after != null) {
      where.add(cb.greaterThanOrEqualTo(time, after.time()));
      where.add(cb.or(cb.greaterThan(time, after.time()), cb.greaterThan(id, after.id())));
    }
    TimeKey upTo = range.upTo();
    if (upTo != null) {
      where.add(cb.lessThanOrEqualTo(time, upTo.time()));
      where.add(cb.or(cb.lessThan(time, upTo.time()), cb.lessThanOrEqualTo(id, upTo.id())));
    }
    return where;
  }

  /**
   * The records after a key in the default order, newest first and then by id: the same instant
   * with a greater id, or an earlier instant. As for a range, the bound on the time alone delimits
   * an index scan.
   */
  private static List<Predicate> afterKey(
      CriteriaBuilder cb, Root<?> root, String timeField, TimeKey after) {
    Expression<Instant> time = root.get(timeField);
    Expression<UUID> id = root.get("id");
    return List.of(
        cb.lessThanOrEqualTo(time, after.time()),
        cb.or(cb.lessThan(time, after.time()), cb.greaterThan(id, after.id())));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Predicate predicate(
      CriteriaBuilder cb,
      CommonAbstractCriteria query,
      Root<?> root,
      CollectionDescriptor<?> collection,
      Filter filter) {
    if (filter.field().equals(OwnedRecord.OWNER_FIELD) && collection.ownerTable().isPresent()) {
      return throughOwnerTable(cb, query, root, collection, filter);
    }
    return predicate(cb, query, root.get(filter.field()), filter);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Predicate predicate(
      CriteriaBuilder cb, CommonAbstractCriteria query, Expression field, Filter filter) {
    if (filter.operator() == FilterOperator.OWNER_IN) {
      Predicate owner =
          cb.exists(owned(cb, query, field, (CollectionDescriptor<?>) filter.value()));
      return filter.negated() ? cb.not(owner) : owner;
    }
    Comparable value = (Comparable) filter.value();
    Predicate predicate =
        switch (filter.operator()) {
          case EQ -> cb.equal(field, value);
          case NEQ -> cb.notEqual(field, value);
          case GT -> cb.greaterThan(field, value);
          case GTE -> cb.greaterThanOrEqualTo(field, value);
          case LT -> cb.lessThan(field, value);
          case LTE -> cb.lessThanOrEqualTo(field, value);
          case IN -> field.in(filter.values());
          case IS -> value == null ? cb.isNull(field) : cb.equal(field, value);
          case OWNER_IN -> throw new IllegalStateException("answered above");
        };
    return filter.negated() ? cb.not(predicate) : predicate;
  }

  /**
   * A filter on the owner of a collection with an owner table, as {@code EXISTS (SELECT 1 FROM
   * <owner table> o WHERE o.record_id = <the record> AND <the filter on o.user_id>)}: the records
   * with an owner that the filter takes. PostgreSQL answers it as a semi-join from the owner
   * table's key on the owner. A filter that is not (not equal to an owner, not among owners) holds
   * when no owner of the record is one it refuses.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Predicate throughOwnerTable(
      CriteriaBuilder cb,
      CommonAbstractCriteria query,
      Root<?> root,
      CollectionDescriptor<?> collection,
      Filter filter) {
    boolean refusing = filter.negated() != (filter.operator() == FilterOperator.NEQ);
    Filter taking =
        new Filter(
            filter.field(),
            filter.operator() == FilterOperator.NEQ ? FilterOperator.EQ : filter.operator(),
            false,
            filter.values());
    Subquery<UUID> owners = query.subquery(UUID.class);
    Root<?> owner = owners.from((Class) collection.ownerTable().orElseThrow());
    owners
        .select(owner.get(RecordOwner.RECORD_FIELD)) // see owned()
        .where(
            cb.equal(owner.get(RecordOwner.RECORD_FIELD), root.get("id")),
            predicate(cb, owners, owner.get(RecordOwner.OWNER_FIELD), taking));
    return refusing ? cb.not(cb.exists(owners)) : cb.exists(owners);
  }

  /**
   * {@code SELECT o.user_id FROM <owners' table> o WHERE o.user_id = <field>}, correlated with the
   * row the statement looks at: inside the same statement as the delete, so the owners it sees are
   * those of the statement's own moment, and answered from the owners' index on user_id, however
   * many there are. (EclipseLink 4.0 cannot put a subquery in {@code IN}: it fails with a
   * ClassCastException.) The subqueries select a column rather than a constant: a constant in a
   * select list makes EclipseLink write the whole statement's values inline, which H2 then refuses
   * for a boolean (written as 0 or 1).
   */
  private static Subquery<String> owned(
      CriteriaBuilder cb,
      CommonAbstractCriteria query,
      Expression<?> field,
      CollectionDescriptor<?> owners) {
    Subquery<String> subquery = query.subquery(String.class);
    Root<?> owner = subquery.from(owners.entityClass());
    return subquery
        .select(owner.get(OwnedRecord.OWNER_FIELD))
        .where(cb.equal(owner.get(OwnedRecord.OWNER_FIELD), field));
  }

  /** The query's order (see {@link RecordQuery#effectiveOrder}). */
  private static List<Order> order(
      CriteriaBuilder cb, Root<?> root, CollectionDescriptor<?> collection, RecordQuery query) {
    return query.effectiveOrder(collection.timeField()).stream()
        .map(k -> k.ascending() ? cb.asc(root.get(k.field())) : cb.desc(root.get(k.field())))
        .toList();
  }
}
