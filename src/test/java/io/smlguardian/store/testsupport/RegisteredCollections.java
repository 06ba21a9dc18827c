package io.smlguardian.store.testsupport;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The collections as the application finds them, for tests that must cover every one without a list
 * of their own: the registry is built from the descriptors that the collections' packages produce
 * as CDI beans (static {@code @Produces} fields, which is how CDI finds them in the server), and
 * the store's own collections (erasures, legal holds, keys, the audit ledger's tables) are the
 * other descriptor constants of the main code. A new collection is found here without any edit.
 */
public final class RegisteredCollections {

  private static final List<Field> DESCRIPTOR_CONSTANTS = descriptorConstants();

  private RegisteredCollections() {}

  /** The registry the application's CDI container builds: the API's collections. */
  public static CollectionRegistry registry() {
    return new CollectionRegistry(
        DESCRIPTOR_CONSTANTS.stream()
            .filter(field -> field.isAnnotationPresent(Produces.class))
            .<CollectionDescriptor<?>>map(RegisteredCollections::value)
            .toList());
  }

  /** Every collection the store keeps: the registry's and the store's own, by name. */
  public static List<CollectionDescriptor<?>> all() {
    return DESCRIPTOR_CONSTANTS.stream()
        .<CollectionDescriptor<?>>map(RegisteredCollections::value)
        .distinct()
        .sorted(Comparator.comparing(CollectionDescriptor::name))
        .toList();
  }

  /** Walks the main classes' directory: the classes CDI's bean discovery sees in the WAR. */
  private static List<Field> descriptorConstants() {
    try {
      Path classes =
          Path.of(
              CollectionDescriptor.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      try (Stream<Path> files = Files.walk(classes)) {
        return files
            .map(classes::relativize)
            .map(Path::toString)
            .filter(f -> f.endsWith(".class"))
            .map(
                f ->
                    f.substring(0, f.length() - ".class".length())
                        .replace(java.io.File.separatorChar, '.'))
            .flatMap(RegisteredCollections::descriptorFields)
            .toList();
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list the main classes", e);
    }
  }

  private static Stream<Field> descriptorFields(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, false, RegisteredCollections.class.getClassLoader());
      return Arrays.stream(type.getDeclaredFields())
          .filter(f -> Modifier.isStatic(f.getModifiers()))
          .filter(f -> f.getType() == CollectionDescriptor.class);
    } catch (ClassNotFoundException | LinkageError e) {
      return Stream.empty(); // a class of the server's alone: it declares no collection
    }
  }

  private static CollectionDescriptor<?> value(Field field) {
    try {
      field.setAccessible(true);
      return (CollectionDescriptor<?>) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + field, e);
    }
  }
}
