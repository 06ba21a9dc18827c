/**
 * Encryption at rest of sensitive free-form content: AES-256-GCM field sealing under per-user data
 * keys, which key-encryption keys kept apart from the database ({@code KEY_DIR}) wrap, which a
 * master key from the environment wraps; their rotation (the {@code key-rotation} job), key escrows
 * for disaster recovery, and crypto-shredding by destroying a user's keys.
 */
package io.smlguardian.store.encryption;
