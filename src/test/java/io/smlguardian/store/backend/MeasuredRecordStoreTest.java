package io.smlguardian.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.RecordStore;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuredRecordStoreTest {

  /**
   * The wrapper stands in for every store, so it must pass on every method, default ones included:
   * an inherited default would silently answer for the wrapped store (SQLite's "no nested
   * transactions" answered as "yes" waits for its own connection).
   */
  @Test
  void everyStoreMethodIsPassedOnNotInherited() {
    List<String> missing =
        Arrays.stream(RecordStore.class.getMethods())
            .filter(method -> !declared(method))
            .map(Method::getName)
            .toList();
    assertThat(missing).isEmpty();
  }

  private static boolean declared(Method method) {
    try {
      MeasuredRecordStore.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
