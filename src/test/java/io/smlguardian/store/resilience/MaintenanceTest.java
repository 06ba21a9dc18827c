package io.smlguardian.store.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaintenanceTest {

  private final Maintenance maintenance = new Maintenance();

  @Test
  void refusesOnlyWhileTheWorkRunsAndEndsEvenWhenItFails() throws Exception {
    maintenance.refuseDuring("erasure"); // not in maintenance: nothing refused

    String seen =
        maintenance.during(
            "switching",
            () -> {
              assertThat(maintenance.active()).isTrue();
              assertThatThrownBy(() -> maintenance.refuseDuring("erasure"))
                  .isInstanceOf(MaintenanceException.class)
                  .hasMessageContaining("erasure is refused")
                  .hasMessageContaining("switching")
                  .hasMessageContaining("Retry after " + Maintenance.RETRY_AFTER_SECONDS);
              return "done";
            });
    assertThat(seen).isEqualTo("done");
    assertThat(maintenance.active()).isFalse();

    assertThatThrownBy(
            () ->
                maintenance.during(
                    "failing",
                    () -> {
                      throw new IllegalStateException("switch failed");
                    }))
        .hasMessage("switch failed");
    assertThat(maintenance.active()).isFalse();
  }

  @Test
  void oneWindowAtATime() throws Exception {
    maintenance.during(
        "first",
        () -> {
          assertThatThrownBy(() -> maintenance.during("second", () -> null))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("already in maintenance: first");
          return null;
        });
  }
}
