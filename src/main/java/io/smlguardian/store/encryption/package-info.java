/**
 * Encryption at rest of sensitive free-form content: per-user data keys wrapped by a master key
 * from the environment, AES-256-GCM field sealing, and crypto-shredding by destroying a user's
 * keys.
 */
package io.smlguardian.store.encryption;
