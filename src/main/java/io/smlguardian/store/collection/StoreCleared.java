package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import java.util.Map;

/**
 * Fired, within the reset's transaction, after {@link StoreReset} emptied every collection: the
 * features that keep state of their own beside the collections (data keys, legal holds, audit chain
 * heads) clear it on this event, so the store is as new.
 *
 * @param by who reset the store
 * @param cleared per collection, how many records were removed
 */
public record StoreCleared(Caller by, Map<String, Long> cleared) {}
