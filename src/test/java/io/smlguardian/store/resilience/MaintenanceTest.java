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

  @Test
  void aHoldLastsUntilItIsClosedOnceAndSaysWhy() {
    Maintenance.Hold hold = maintenance.hold("switching");
    assertThat(maintenance.reason()).contains("switching");
    hold.because("completing a switch that failed");
    assertThatThrownBy(() -> maintenance.refuseDuring("erasure"))
        .isInstanceOf(MaintenanceException.class)
        .hasMessageContaining("completing a switch that failed");
    assertThatThrownBy(() -> maintenance.hold("another"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already in maintenance: completing a switch that failed");

    hold.close();
    assertThat(maintenance.active()).isFalse();
    assertThat(maintenance.reason()).isEmpty();
    try (Maintenance.Hold next = maintenance.hold("next")) {
      hold.close(); // closed before: it ends no later window
      hold.because("stale");
      assertThat(maintenance.reason()).contains("next");
    }
    assertThat(maintenance.active()).isFalse();
  }
}
