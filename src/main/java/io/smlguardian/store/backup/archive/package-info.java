/**
 * The backup archive format and its cryptography: a zip of one JSON-lines stream per collection
 * ({@link io.smlguardian.store.backup.archive.RecordLines}), gzip-compressed and optionally
 * encrypted with segmented AES-256-GCM, and a manifest of counts and SHA-256 checksums,
 * authenticated by an HMAC under a key derived from the audit key, whose sizes are checked before
 * any entry is read. Writing, reading and verifying an archive; it knows nothing of the jobs and
 * services that use it.
 */
package io.smlguardian.store.backup.archive;
