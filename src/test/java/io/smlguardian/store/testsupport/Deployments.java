package io.smlguardian.store.testsupport;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives that the Arquillian integration tests deploy.
 *
 * <p>Each is the real WAR that {@code mvn package} built, not a hand-picked subset of classes, so
 * the tests exercise the application exactly as it ships (persistence.xml, beans.xml, Flyway
 * scripts, bundled libraries) plus the test classes. It is deployed under its own name and context
 * root next to the real application and shares its datasource; its Flyway run finds the schema
 * already migrated.
 */
public final class Deployments {

  /** Where maven-war-plugin leaves the application; failsafe runs in the project directory. */
  private static final File APPLICATION_WAR = new File("target/guardian-store.war");

  private Deployments() {}

  /**
   * The application WAR plus the given test classes and the in-container test helpers.
   *
   * @param name the archive's name without ".war"; it becomes the context root in dropins
   */
  public static WebArchive guardianStore(String name, Class<?>... testClasses) {
    if (!APPLICATION_WAR.isFile()) {
      throw new IllegalStateException(
          APPLICATION_WAR.getAbsolutePath() + " is missing: run the package phase first");
    }
    return ShrinkWrap.create(ZipImporter.class, name + ".war")
        .importFrom(APPLICATION_WAR)
        .as(WebArchive.class)
        .addClasses(testClasses)
        .addClasses(Deployments.class, Jdbc.class);
  }
}
