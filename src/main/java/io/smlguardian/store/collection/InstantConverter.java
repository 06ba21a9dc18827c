package io.smlguardian.store.collection;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Maps {@link Instant} to a JDBC timestamp. EclipseLink 4.0 has no native Instant mapping and would
 * otherwise store a serialized blob that can be neither queried nor sorted; a {@link Timestamp} is
 * itself a point in time, which timestamptz columns keep exactly.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, Timestamp> {

  @Override
  public Timestamp convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  @Override
  public Instant convertToEntityAttribute(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
