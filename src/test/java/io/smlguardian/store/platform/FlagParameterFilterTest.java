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

  @org.junit.jupiter.api.Test
  void theFlagsOfAMethodAreItsBooleanQueryParameters() throws NoSuchMethodException {
    var method =
        Endpoint.class.getDeclaredMethod(
            "run", boolean.class, Boolean.class, String.class, boolean.class);
    assertThat(FlagParameterFilter.flags(method)).containsExactly("dryRun", "force");
  }

  /** An endpoint's signature: two flags, a text parameter, and a boolean that is no query. */
  interface Endpoint {
    void run(
        @jakarta.ws.rs.QueryParam("dryRun") boolean dryRun,
        @jakarta.ws.rs.QueryParam("force") Boolean force,
        @jakarta.ws.rs.QueryParam("name") String name,
        @jakarta.ws.rs.HeaderParam("X-Flag") boolean header);
  }
}
