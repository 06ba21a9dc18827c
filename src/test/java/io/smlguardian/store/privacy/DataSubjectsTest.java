package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSubjectsTest {

  @ParameterizedTest
  @ValueSource(strings = {"u-1", "alice@example.org", "Ünïcødé"})
  void aUserIdIsTakenAsItIs(String userId) {
    assertThat(DataSubjects.require(userId)).isEqualTo(userId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "system", "anonymous", "scheduler", " System", "UNKNOWN"})
  void theStoresOwnNamesAreNoDataSubject(String reserved) {
    assertThatThrownBy(() -> DataSubjects.require(reserved))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("userId")
        .hasMessageContaining("reserves");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "a\tb", "a\u0000b"})
  void blankOrControlCharactersAreRefused(String userId) {
    assertThatThrownBy(() -> DataSubjects.require(userId))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("userId");
  }

  @org.junit.jupiter.api.Test
  void moreThan128CharactersAreRefused() {
    assertThat(DataSubjects.require("u".repeat(128))).hasSize(128);
    assertThatThrownBy(() -> DataSubjects.require("u".repeat(129)))
        .isInstanceOf(InvalidRequestException.class);
  }
}
