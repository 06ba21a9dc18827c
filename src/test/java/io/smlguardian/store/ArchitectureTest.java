package io.smlguardian.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.smlguardian.store.testsupport.RegisteredCollections;
import jakarta.persistence.Entity;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the layout honest: the collection kernel knows no collection, collections know nothing of
 * each other, features form no cycles, and REST resources stay thin translators.
 */
@AnalyzeClasses(
    packages = "io.smlguardian.store",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String ROOT = "io.smlguardian.store.";

  /** The collections' packages, as the application registers them. */
  private static final List<String> COLLECTIONS =
      RegisteredCollections.registry().all().stream()
          .map(collection -> collection.entityClass().getPackageName())
          .map(name -> name.substring(ROOT.length()))
          .distinct()
          .toList();

  @ArchTest
  static final ArchRule theKernelNamesNoCollectionNorBackend =
      noClasses()
          .that()
          .resideInAPackage(ROOT + "collection..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              Stream.concat(
                      COLLECTIONS.stream(),
                      Stream.of(
                          "jpa",
                          "mongo",
                          "encryption",
                          "privacy",
                          "transaction",
                          "platform",
                          "health"))
                  .map(p -> ROOT + p + "..")
                  .toArray(String[]::new));

  @ArchTest
  static void collectionsDoNotReachIntoEachOther(JavaClasses classes) {
    for (String collection : COLLECTIONS) {
      noClasses()
          .that()
          .resideInAPackage(ROOT + collection + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              COLLECTIONS.stream()
                  .filter(other -> !other.equals(collection))
                  .map(other -> ROOT + other + "..")
                  .toArray(String[]::new))
          .check(classes);
    }
  }

  @ArchTest
  static final ArchRule featuresAreFreeOfCycles =
      slices().matching("io.smlguardian.store.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule resourcesNeverTouchEntitiesOrTransactions =
      noClasses()
          .that()
          .areAnnotatedWith(Path.class)
          .should()
          .dependOnClassesThat()
          .areAnnotatedWith(Entity.class)
          .orShould()
          .beAnnotatedWith(Transactional.class);

  @ArchTest
  static final ArchRule restClassesAreNotCalledServices =
      classes().that().areAnnotatedWith(Path.class).should().haveSimpleNameEndingWith("Resource");
}
