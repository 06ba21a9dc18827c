package io.smlguardian.store.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Where the service runs: {@code DEPLOYMENT_MODE=production} (the default) or {@code development},
 * which only the build sets, for its test servers and {@code mvn -Prun}. Outside development the
 * service refuses to start unless tokens are bound to an issuer and an audience ({@code
 * JWT_ISSUER}, {@code JWT_AUDIENCE}): a blank issuer would accept any issuer's token signed with
 * the trusted key, and so would a blank audience any token meant for another service.
 */
@ApplicationScoped
public class DeploymentMode {

  private static final Logger LOG = Logger.getLogger(DeploymentMode.class.getName());

  static final String MODE = "DEPLOYMENT_MODE";
  static final String ISSUER = "JWT_ISSUER";
  static final String AUDIENCE = "JWT_AUDIENCE";

  private boolean development;

  protected DeploymentMode() {}

  @Inject
  public DeploymentMode(Config config) {
    this(name -> config.getOptionalValue(name, String.class));
  }

  /**
   * @param setting the value of a configuration variable, if set
   * @throws IllegalStateException naming every problem, so that the application does not start
   */
  DeploymentMode(Function<String, Optional<String>> setting) {
    List<String> problems = new ArrayList<>();
    String mode = setting.apply(MODE).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("");
    switch (mode) {
      case "", "production" -> development = false;
      case "development" -> development = true;
      default -> problems.add(MODE + "=" + mode + " must be production or development");
    }
    if (!development) {
      for (String name : List.of(ISSUER, AUDIENCE)) {
        if (setting.apply(name).map(String::isBlank).orElse(true)) {
          problems.add(
              name
                  + " is not set: outside development (DEPLOYMENT_MODE=development) tokens must"
                  + " name the issuer and audience they are checked against");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Invalid security configuration: " + String.join("; ", problems));
    }
  }

  public boolean development() {
    return development;
  }

  /** Makes the container build (and so check) this configuration while the application starts. */
  void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    LOG.info(() -> "Deployment mode: " + (development ? "development" : "production"));
  }
}
