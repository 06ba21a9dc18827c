package io.smlguardian.store.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobParametersTest {

  @Test
  void anIdentityIsOneTo128CharactersWithoutControlCharactersOrSurroundingSpaces() {
    assertThat(JobParameters.identity("userId", "user-42")).isEqualTo("user-42");
    assertThat(JobParameters.identity("userId", "x".repeat(128))).hasSize(128);

    for (String bad : new String[] {null, "", " ", "x".repeat(129), "a\u0000b", "a\nb", " a"}) {
      assertThatThrownBy(() -> JobParameters.identity("userId", bad))
          .as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("userId");
    }
  }

  @Test
  void aStarterFallsBackOnlyWhenAbsent() {
    assertThat(JobParameters.starter("startedBy", null, "batch")).isEqualTo("batch");
    assertThat(JobParameters.starter("startedBy", "", "batch")).isEqualTo("batch");
    assertThat(JobParameters.starter("startedBy", "ops", "batch")).isEqualTo("ops");
    assertThatThrownBy(() -> JobParameters.starter("startedBy", "a\tb", "batch"))
        .hasMessageContaining("startedBy='a\\u0009b'");
  }

  @Test
  void aFlagIsExactlyTrueOrFalseInAnyCase() {
    assertThat(JobParameters.flag("replace", null, false)).isFalse();
    assertThat(JobParameters.flag("replace", "True", false)).isTrue();
    assertThat(JobParameters.flag("replace", "FALSE", true)).isFalse();
    assertThatThrownBy(() -> JobParameters.flag("replace", "1", false))
        .hasMessage("replace='1' must be true or false");
  }
}
