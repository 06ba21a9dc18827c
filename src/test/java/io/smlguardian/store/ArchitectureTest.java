package io.smlguardian.store;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.smlguardian.store.backend.Backend;
import io.smlguardian.store.backend.BackendConfig;
import io.smlguardian.store.collection.AtomicWrites;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.testsupport.RegisteredCollections;
import jakarta.json.Json;
import jakarta.persistence.Entity;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the layout honest: the collection kernel knows no collection, collections know nothing of
 * each other, features form no cycles, the platform knows no feature, the backup archive format
 * knows not its services, REST resources stay thin translators, and only the backend selection and
 * the stores tell backends apart.
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

  /**
   * The archive format (writing, reading, manifest, MAC, encryption) knows nothing of the jobs,
   * services and REST resource that use it; the slices above do not see inside one feature.
   */
  @ArchTest
  static final ArchRule theBackupArchiveKnowsNoBackupService =
      noClasses()
          .that()
          .resideInAPackage(ROOT + "backup.archive..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ROOT + "backup", ROOT + "backup.batch..");

  /**
   * The REST platform answers every feature's failures from what they say of themselves (the
   * problem types) and knows none of the features: only the roles its authorization filter checks.
   */
  @ArchTest
  static final ArchRule thePlatformKnowsNoFeature =
      classes()
          .that()
          .resideInAPackage(ROOT + "platform..")
          .should()
          .onlyDependOnClassesThat(
              resideOutsideOfPackage(ROOT + ".")
                  .or(
                      resideInAnyPackage(
                          ROOT + "platform..", ROOT + "problem..", ROOT + "security..")));

  /**
   * The request path builds JSON through a provider or factory made once ({@code Jsonp.PROVIDER},
   * or a factory in a field): each static method of {@code jakarta.json.Json} but its factory
   * makers looks the provider up again, with a ServiceLoader scan. Sealing a field cost more in
   * those look-ups than in its AES-GCM (docs/benchmarks.md, "Sealed fields").
   */
  @ArchTest
  static final ArchRule theRequestPathLooksNoJsonProviderUp =
      noClasses()
          .that()
          .resideInAnyPackage(
              ROOT + "collection..",
              ROOT + "accesslog..",
              ROOT + "platform..",
              ROOT + "jpa..",
              ROOT + "mongo..",
              ROOT + "sync..")
          .or()
          .haveSimpleName("FieldEncryption")
          .or()
          .haveSimpleName("JournalSealing")
          .should()
          .callMethodWhere(
              DescribedPredicate.describe(
                  "a static method of jakarta.json.Json that looks the provider up",
                  call ->
                      call.getTargetOwner().isEquivalentTo(Json.class)
                          && !call.getName().endsWith("Factory")));

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

  /**
   * What differs between backends is the stores' business ({@code jpa}, {@code mongo}) and the
   * backend selection's ({@code backend}): no other class names a backend, nor reads which backend
   * is configured, so none can branch on it. (Without the backend, a caller has nothing to compare
   * but {@code StoreInfo.backend()}, which says for status and problems only.)
   */
  @ArchTest
  static final ArchRule onlyTheStoresTellBackendsApart =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT + "backend..", ROOT + "jpa..", ROOT + "mongo..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(Backend.class, BackendConfig.class);

  /** The one capability callers act on, atomic writes, is asked of the store in one place. */
  @ArchTest
  static final ArchRule atomicWritesAreAskedInOnePlace =
      noClasses()
          .that()
          .doNotBelongToAnyOf(AtomicWrites.class)
          .and()
          .resideOutsideOfPackages(ROOT + "jpa..", ROOT + "mongo..")
          .should()
          .callMethod(RecordStore.class, "supportsAtomicWrites");
}
