package io.smlguardian.store.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the database answers a real round trip; reports the seed's {healthy, latency, message}
 * with the latency of that round trip in milliseconds.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  @Resource(lookup = "jdbc/guardian")
  private DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    long start = System.nanoTime();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      long latency = (System.nanoTime() - start) / 1_000_000;
      return HealthCheckResponse.named("database")
          .up()
          .withData("healthy", true)
          .withData("latency", latency)
          .withData("message", "Database healthy (" + latency + "ms)")
          .build();
    } catch (SQLException e) {
      long latency = (System.nanoTime() - start) / 1_000_000;
      return HealthCheckResponse.named("database")
          .down()
          .withData("healthy", false)
          .withData("latency", latency)
          .withData("message", "Database unreachable: " + e.getMessage())
          .build();
    }
  }
}
