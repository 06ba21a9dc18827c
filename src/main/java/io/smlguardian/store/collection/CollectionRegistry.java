package io.smlguardian.store.collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's collections by name. Each collection's package produces its descriptor as a CDI bean,
 * so this kernel never names a collection and a new one needs no change here.
 */
@ApplicationScoped
public class CollectionRegistry {

  private Map<String, CollectionDescriptor<?>> byName;
  private List<String> names;

  protected CollectionRegistry() {}

  @Inject
  public CollectionRegistry(@Any Instance<CollectionDescriptor<?>> descriptors) {
    this(descriptors.stream().toList());
  }

  public CollectionRegistry(List<? extends CollectionDescriptor<?>> descriptors) {
    Map<String, CollectionDescriptor<?>> map = new LinkedHashMap<>();
    descriptors.stream()
        .sorted(Comparator.comparing(CollectionDescriptor::name))
        .forEach(
            d -> {
              if (map.put(d.name(), d) != null) {
                throw new IllegalStateException("two collections named " + d.name());
              }
            });
    this.byName = Map.copyOf(map);
    this.names = List.copyOf(map.keySet());
  }

  /** The collection of that name, or an {@link UnknownCollectionException}. */
  public CollectionDescriptor<?> get(String name) {
    CollectionDescriptor<?> descriptor = byName.get(name);
    if (descriptor == null) {
      throw new UnknownCollectionException(name, names);
    }
    return descriptor;
  }

  /** All collections, by name. */
  public List<CollectionDescriptor<?>> all() {
    return names.stream().<CollectionDescriptor<?>>map(byName::get).toList();
  }
}
