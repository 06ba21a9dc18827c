package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** If-Match names a version the API handed out, or any version. */
class ETagsTest {

  @Test
  void readsTheVersionOfAStrongETag() {
    assertThat(ETags.expectedVersion("\"7\"")).isEqualTo(7L);
    assertThat(ETags.expectedVersion(" \"12\" ")).isEqualTo(12L);
  }

  @Test
  void absentOrStarMeansAnyVersion() {
    assertThat(ETags.expectedVersion(null)).isNull();
    assertThat(ETags.expectedVersion("*")).isNull();
  }

  @Test
  void refusesWhatTheApiNeverHandedOut() {
    assertThatThrownBy(() -> ETags.expectedVersion("7"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ETags.expectedVersion("W/\"7\""))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ETags.expectedVersion("\"seven\""))
        .isInstanceOf(InvalidRequestException.class);
  }
}
