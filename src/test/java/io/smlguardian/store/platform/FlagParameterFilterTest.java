package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagParameterFilterTest {

  @ParameterizedTest
  @ValueSource(strings = {"true", "false", "TRUE", "False"})
  void trueAndFalseInAnyCaseAreFlags(String value) {
    assertThat(FlagParameterFilter.isFlag(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ture", "yes", "1", "", " true", "on"})
  void anythingElseIsNot(String value) {
    assertThat(FlagParameterFilter.isFlag(value)).isFalse();
  }
}
