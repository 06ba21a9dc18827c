package io.smlguardian.store.platform;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Reading configuration values that must be checked at start, collecting what is wrong. */
public final class Settings {

  private Settings() {}

  /**
   * A true/false setting: its default when unset; anything but {@code true} or {@code false} (any
   * case) adds a problem naming the variable and answers the default.
   */
  public static boolean flag(
      Function<String, Optional<String>> setting,
      String name,
      boolean defaultValue,
      List<String> problems) {
    Optional<String> value = setting.apply(name).map(v -> v.trim().toLowerCase(Locale.ROOT));
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(name + "=" + value.get() + " must be true or false");
        yield defaultValue;
      }
    };
  }
}
