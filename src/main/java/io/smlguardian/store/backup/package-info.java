/**
 * Backup and restore: the {@code backup} and {@code restore} Jakarta Batch jobs, the archive format
 * (a zip of one JSON-lines stream per collection, gzip-compressed and optionally encrypted with
 * segmented AES-256-GCM, and a manifest of counts and SHA-256 checksums, authenticated by an HMAC
 * under a key derived from the audit key, whose sizes are checked before any entry is read),
 * verification, the erasure ledger that restores re-apply, backup retention and schedule, and the
 * operators' REST resource ({@code /api/backups}). Works on every backend through the store SPI's
 * snapshot read and restore write, so a backup taken on one backend restores into another.
 */
package io.smlguardian.store.backup;
