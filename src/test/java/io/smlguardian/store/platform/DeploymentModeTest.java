package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeploymentModeTest {

  private static DeploymentMode mode(Map<String, String> settings) {
    return new DeploymentMode(name -> Optional.ofNullable(settings.get(name)));
  }

  @Test
  void productionIsTheDefaultAndNeedsAnIssuerAndAnAudience() {
    assertThatThrownBy(() -> mode(Map.of()))
        .hasMessageContaining("JWT_ISSUER is not set")
        .hasMessageContaining("JWT_AUDIENCE is not set");
    assertThatThrownBy(() -> mode(Map.of("JWT_ISSUER", " ", "JWT_AUDIENCE", "guardian-store")))
        .hasMessageContaining("JWT_ISSUER is not set")
        .hasMessageNotContaining("JWT_AUDIENCE");

    DeploymentMode configured =
        mode(
            Map.of(
                "DEPLOYMENT_MODE", "Production",
                "JWT_ISSUER", "https://idp.example",
                "JWT_AUDIENCE", "guardian-store"));
    assertThat(configured.development()).isFalse();
  }

  @Test
  void developmentStartsWithoutThem() {
    assertThat(mode(Map.of("DEPLOYMENT_MODE", "development")).development()).isTrue();
  }

  @Test
  void anUnknownModeIsRefused() {
    assertThatThrownBy(
            () ->
                mode(
                    Map.of(
                        "DEPLOYMENT_MODE", "staging",
                        "JWT_ISSUER", "i",
                        "JWT_AUDIENCE", "a")))
        .hasMessageContaining("DEPLOYMENT_MODE=staging must be production or development");
  }
}
