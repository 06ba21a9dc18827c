package io.smlguardian.store.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionUrlsTest {

  @Test
  void mongoUserInformationIsRemoved() {
    assertThat(ConnectionUrls.redact("mongodb://app:s3cr%40t@db1:27017,db2:27017/sml?tls=true"))
        .isEqualTo("mongodb://db1:27017,db2:27017/sml?tls=true");
    assertThat(ConnectionUrls.redact("mongodb+srv://app:pw@cluster.example.net/sml"))
        .isEqualTo("mongodb+srv://cluster.example.net/sml");
  }

  @Test
  void secretParametersLoseTheirValuesAndOthersStay() {
    assertThat(
            ConnectionUrls.redact(
                "jdbc:postgresql://db:5432/sml?user=app&password=hunter2&ssl=true&sslpassword=k"))
        .isEqualTo("jdbc:postgresql://db:5432/sml?user=app&password=***&ssl=true&sslpassword=***");
    assertThat(ConnectionUrls.redact("jdbc:h2:mem:guardian;DB_CLOSE_DELAY=-1;PASSWORD=x"))
        .isEqualTo("jdbc:h2:mem:guardian;DB_CLOSE_DELAY=-1;PASSWORD=***");
  }

  @Test
  void aUrlWithoutSecretsIsUnchanged() {
    String url = "jdbc:postgresql://localhost:55432/postgres?ssl=true&sslmode=verify-full";
    assertThat(ConnectionUrls.redact(url)).isEqualTo(url);
    assertThat(ConnectionUrls.redact("mongodb://localhost:27017/sml_guardian"))
        .isEqualTo("mongodb://localhost:27017/sml_guardian");
    assertThat(ConnectionUrls.redact(null)).isNull();
  }
}
