package io.smlguardian.store.collection;

import java.util.UUID;

/**
 * A record as the API shows it: its JSON text (written by {@link RecordJson}), plus the id and
 * version that make its location and ETag even when a projection left them out of the JSON.
 */
public record RecordView(UUID id, long version, String json) {}
