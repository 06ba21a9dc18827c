package io.smlguardian.store.backup;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * What a MongoDB store holds of a restore, read straight from the database by the restore ITs that
 * kill or break a MongoDB server's switch: its record of the switch, its documents, its staging.
 */
final class MongoRestoreState {

  private MongoRestoreState() {}

  /** The restore's record of its switch, while one is under way or unfinished. */
  static Optional<BsonDocument> switchRecord(MongoDatabase db) {
    return Optional.ofNullable(
        db.getCollection("restore_switch", BsonDocument.class).find().first());
  }

  /** Every document of the collection, by id. */
  static Map<BsonValue, BsonDocument> documents(MongoCollection<Document> collection) {
    Map<BsonValue, BsonDocument> documents = new HashMap<>();
    collection
        .withDocumentClass(BsonDocument.class)
        .find()
        .forEach(d -> documents.put(d.get("_id"), d));
    return documents;
  }

  /** How many documents the staging copies hold in all. */
  static long stagedDocuments(MongoDatabase db) {
    long staged = 0;
    for (String name : db.listCollectionNames()) {
      if (name.endsWith("_staging")) {
        staged += db.getCollection(name).countDocuments();
      }
    }
    return staged;
  }
}
