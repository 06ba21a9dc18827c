package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and its UI describe the API, including the query grammar. */
class OpenApiIT {

  @Test
  void theDocumentDescribesEveryEndpointAndTheQueryGrammar() {
    Api.Reply document = Api.get(Api.SERVER_URL + "/openapi");

    assertThat(document.status()).isEqualTo(200);
    assertThat(document.raw().body())
        .contains("/api/collections/{collection}:")
        .contains("/api/collections/{collection}/{id}:")
        .contains("/api/collections/{collection}/count:")
        .contains("/api/atomic:")
        .contains("field=[not.]op.value");
  }

  @Test
  void theUiIsServed() {
    assertThat(Api.get(Api.SERVER_URL + "/openapi/ui/").status()).isEqualTo(200);
  }
}
