package io.smlguardian.store.retention;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * How long one collection keeps its records: those whose time field lies before {@code asOf} minus
 * the period are due for purging.
 *
 * @param collection the collection's name
 * @param timeField the field retention goes by
 * @param period the effective period (positive)
 * @param configured whether the period comes from configuration rather than the seed's default
 * @param variable the configuration variable that overrides it
 */
public record RetentionPolicy(
    String collection, String timeField, Period period, boolean configured, String variable) {

  /** The first instant that is kept: records strictly before it are due. */
  public Instant cutoff(Instant asOf) {
    return asOf.atZone(ZoneOffset.UTC).minus(period).toInstant();
  }

  public String source() {
    return configured ? "configured" : "default";
  }
}
