package io.smlguardian.store.collection;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * One page of a query's results.
 *
 * @param items the records, in the query's order
 * @param limit the page size asked for
 * @param offset how many matching records came before this page
 */
public record RecordPage(List<JsonObject> items, int limit, int offset) {}
