package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.RecordOwner;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * A row of the audit trail's owner table: one of the users an entry is about. Every entry has one
 * per user it names, and every read of one user's entries goes through them.
 */
@Entity
@Table(name = "access_log_owners")
@IdClass(RecordOwner.Key.class)
public class AccessLogOwner extends RecordOwner {

  protected AccessLogOwner() {}
}
