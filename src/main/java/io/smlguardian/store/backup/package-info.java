/**
 * Backup and restore: the {@code backup} and {@code restore} Jakarta Batch jobs, the services that
 * snapshot the store into an archive and restore one, the archives' directory with its verification
 * and retention, the erasure ledger that restores re-apply, the schedule, and the operators' REST
 * resource ({@code /api/backups}). The archive format itself lives in {@code archive/}. Works on
 * every backend through the store SPI's snapshot read and restore write, so a backup taken on one
 * backend restores into another.
 */
package io.smlguardian.store.backup;
