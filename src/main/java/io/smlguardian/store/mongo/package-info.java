/**
 * The store on MongoDB through its synchronous Java driver: one MongoDB collection per collection,
 * mapped from the collections' schemas, with no code for any one collection.
 */
package io.smlguardian.store.mongo;
