/**
 * The service's own files (the SQLite database, ledgers, digests, exports, backup archives) kept
 * private to the user the server runs as, and the temporary files a crash leaves behind removed at
 * start.
 */
package io.smlguardian.store.files;
