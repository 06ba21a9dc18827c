/**
 * Which backend holds the records ({@code DB_BACKEND}: sqlite, memory, postgresql or mongodb): the
 * store bean the application uses, offered under each of its roles ({@link
 * io.smlguardian.store.collection.RecordStore}, {@link io.smlguardian.store.collection.BulkStore},
 * {@link io.smlguardian.store.collection.StoreInfo}), and what the backend needs at start (schema
 * migration, or MongoDB's connection and indexes). The only package besides the stores' own ({@code
 * jpa}, {@code mongo}) that tells backends apart.
 */
package io.smlguardian.store.backend;
