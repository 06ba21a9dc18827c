/**
 * The query model (filters, sort order, page, projection) and the parser of its PostgREST-style
 * request grammar. Backends translate only validated queries.
 */
package io.smlguardian.store.collection.query;
