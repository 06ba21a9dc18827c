package io.smlguardian.store.collection;

import java.util.List;

/**
 * One page of a query's results.
 *
 * @param items the records' JSON texts (see {@link RecordView#json}), in the query's order
 * @param limit the page size asked for
 * @param offset how many matching records came before this page
 */
public record RecordPage(List<String> items, int limit, int offset) {}
