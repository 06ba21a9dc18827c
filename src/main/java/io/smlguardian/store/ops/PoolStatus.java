package io.smlguardian.store.ops;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The backend's connection pool right now, as the pool itself reports it. Figures a pool does not
 * count are written as null.
 *
 * @param name which pool: the datasource's JNDI name, or the MongoDB driver's server address
 * @param maxSize the most connections it may open, when known
 * @param size connections open now
 * @param inUse of those, lent out to a caller now
 * @param idle of those, waiting in the pool
 * @param created connections opened since start, when the pool counts them
 * @param destroyed connections closed since start, when the pool counts them
 * @param source where the figures come from (the MBean)
 */
@JsonbNillable
@JsonbPropertyOrder({"name", "size", "inUse", "idle", "source", "maxSize", "created", "destroyed"})
public record PoolStatus(
    String name,
    Long maxSize,
    long size,
    long inUse,
    long idle,
    Long created,
    Long destroyed,
    String source) {}
