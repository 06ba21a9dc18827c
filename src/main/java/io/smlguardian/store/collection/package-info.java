/**
 * The one mechanism behind all eight collections: descriptors and the schema read from entities,
 * the JSON mapping, the store SPI, the transactional record service and its REST resource. Nothing
 * here names a collection; each collection package produces its descriptor as a CDI bean.
 */
package io.smlguardian.store.collection;
