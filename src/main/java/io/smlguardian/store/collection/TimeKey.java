package io.smlguardian.store.collection;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A record's place in its collection's time order: the value of the collection's time field, then
 * the id to order records of the same instant. Bulk jobs walk a collection by it (keyset paging).
 *
 * @param time the record's time field value
 * @param id the record's id
 */
public record TimeKey(Instant time, UUID id) implements Serializable {}
