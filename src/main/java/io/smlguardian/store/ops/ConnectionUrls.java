package io.smlguardian.store.ops;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connection URLs as operators may see them: with no credentials. A JDBC or MongoDB URL can carry a
 * password in its user information ({@code user:secret@host}) or in a parameter ({@code password=},
 * {@code sslpassword=}...); both are removed, whatever the scheme.
 */
public final class ConnectionUrls {

  /** {@code scheme://userinfo@}: everything up to the last {@code @} before the path. */
  private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][\\w+.:-]*://)[^/?#]*@");

  /**
   * A parameter whose name says it holds a secret, in a query ({@code ?&}) or H2-style ({@code ;}).
   */
  private static final Pattern SECRET_PARAMETER = Pattern.compile("([?&;])([^=&;?#]*)=([^&;#]*)");

  private static final String[] SECRET_NAMES = {"password", "secret", "token", "credential"};

  private ConnectionUrls() {}

  /** The URL without user information and without the values of secret parameters. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String withoutUser = USER_INFO.matcher(url).replaceFirst("$1");
    Matcher parameters = SECRET_PARAMETER.matcher(withoutUser);
    StringBuilder redacted = new StringBuilder();
    while (parameters.find()) {
      String name = parameters.group(2);
      String replacement =
          secret(name)
              ? parameters.group(1) + name + "=***"
              : parameters.group(1) + name + "=" + parameters.group(3);
      parameters.appendReplacement(redacted, Matcher.quoteReplacement(replacement));
    }
    parameters.appendTail(redacted);
    return redacted.toString();
  }

  private static boolean secret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String secret : SECRET_NAMES) {
      if (lower.contains(secret)) {
        return true;
      }
    }
    return false;
  }
}
