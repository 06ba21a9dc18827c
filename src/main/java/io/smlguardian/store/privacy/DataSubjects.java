package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.security.ReservedIdentities;
import java.util.List;

/**
 * The user a privacy request is about (erasure, export, legal hold): a user id as a record may
 * carry it. The store's own names ({@link ReservedIdentities}) are no data subject: {@code unknown}
 * owns every refused request's audit entry, and exporting, holding or erasing it as if it were a
 * person would answer for many people at once.
 */
final class DataSubjects {

  private static final int MAX_LENGTH = 128;

  private DataSubjects() {}

  /**
   * @return the user id, as given
   * @throws InvalidRequestException (400) naming {@code userId} when it is blank, longer than 128
   *     characters, holds a control character or is reserved
   */
  static String require(String userId) {
    if (userId == null
        || userId.isBlank()
        || userId.length() > MAX_LENGTH
        || userId.chars().anyMatch(Character::isISOControl)) {
      throw refused("must be 1 to " + MAX_LENGTH + " characters, without control characters");
    }
    if (ReservedIdentities.isReserved(userId)) {
      throw refused(
          "must be a person, not '" + userId.strip() + "', a name the store reserves for itself");
    }
    return userId;
  }

  private static InvalidRequestException refused(String why) {
    return new InvalidRequestException(
        "A privacy request names a user: userId " + why + ".", List.of("userId: " + why));
  }
}
