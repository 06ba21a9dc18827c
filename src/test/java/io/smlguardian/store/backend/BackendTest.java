package io.smlguardian.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendTest {

  /** Users keep configuring H2 as {@code memory}, the name it has had since the seed. */
  @Test
  void h2IsConfiguredAsMemory() {
    assertThat(Backend.named("memory")).isEqualTo(Backend.H2);
    assertThat(Backend.named(" Memory ")).isEqualTo(Backend.H2);
    assertThat(Backend.H2.configName()).isEqualTo("memory");
  }

  @Test
  void everyOtherBackendIsConfiguredByItsOwnName() {
    assertThat(Backend.named("sqlite")).isEqualTo(Backend.SQLITE);
    assertThat(Backend.named("postgresql")).isEqualTo(Backend.POSTGRESQL);
    assertThat(Backend.named("mongodb")).isEqualTo(Backend.MONGODB);
  }

  @Test
  void anyOtherNameIsRefusedWithTheValidOnes() {
    assertThatThrownBy(() -> Backend.named("oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sqlite, memory, postgresql, mongodb");
  }
}
