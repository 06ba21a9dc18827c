/**
 * Operations' view of the running service: the status endpoint (backend, connection, pool,
 * per-collection records, storage and retention, last backup and purge), the batch jobs' recent
 * runs and their metrics, and the static ops console (src/main/webapp/console) that shows them.
 */
package io.smlguardian.store.ops;
