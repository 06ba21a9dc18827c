/**
 * Which backend holds the records ({@code DB_BACKEND}: sqlite, memory, postgresql or mongodb): the
 * {@link io.smlguardian.store.collection.RecordStore} the application uses, and what the backend
 * needs at start (schema migration, or MongoDB's connection and indexes).
 */
package io.smlguardian.store.backend;
