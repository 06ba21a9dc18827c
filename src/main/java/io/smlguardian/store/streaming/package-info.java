/**
 * Moving many records from a reading thread to a writing one with bounded memory: what the backup
 * and the export share.
 */
package io.smlguardian.store.streaming;
