/**
 * Write-behind ingest: records validated and sealed as the synchronous API does, acknowledged once
 * a local journal has forced them to disk, and written to the store later in batches by a flusher
 * that replays the journal's unflushed part after a restart, inserting only ids not yet stored.
 */
package io.smlguardian.store.sync;
