package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The values of a request body that no backend stores alike, refused with their paths. */
class JsonBodiesTest {

  private static List<String> refused(String body) {
    return JsonBodies.refusedValues(body);
  }

  @Test
  void anOrdinaryDocumentPasses() {
    String body =
        "{\"type\":\"x\",\"strength\":0.5,\"metadata\":{\"a\":[1,2.5e300,-1e-300,0,null,true]},"
            + "\"n\":-0.0}";
    assertThat(refused(body)).isEmpty();
    assertThat(JsonBodies.object(body).getString("type")).isEqualTo("x");
    // the document as the JSON provider's reader builds it, numbers' forms included
    for (String document :
        List.of(
            body,
            "[{\"a\":{\"b\":[[],{},\"\u00e9\\n\"]},\"a\":7,\"c\":1.0,\"d\":10E2}]",
            "\"text\"",
            "-12",
            "null")) {
      try (var reader = Jsonp.PROVIDER.createReader(new java.io.StringReader(document))) {
        JsonValue read = reader.readValue();
        assertThat(JsonBodies.parse(document)).isEqualTo(read);
        assertThat(JsonBodies.parse(document).toString()).isEqualTo(read.toString());
      }
    }
  }

  @Test
  void nulIsRefusedWhereverItIsWithItsPath() {
    assertThat(refused("{\"type\":\"a\\u0000b\"}"))
        .containsExactly("type: contains a NUL character (U+0000)");
    assertThat(refused("{\"metadata\":{\"tags\":[\"ok\",\"b\\u0000\"]}}"))
        .containsExactly("metadata.tags[1]: contains a NUL character (U+0000)");
    assertThat(refused("[{\"type\":\"ok\"},{\"type\":\"\\u0000\"}]"))
        .containsExactly("[1].type: contains a NUL character (U+0000)");
    assertThat(refused("{\"metadata\":{\"a\\u0000\":1}}"))
        .containsExactly("metadata.a\\u0000: the member name contains a NUL character (U+0000)");
    assertThat(refused("\"\\u0000\""))
        .containsExactly("the body: contains a NUL character (U+0000)");
  }

  @Test
  void numbersBeyondADoubleAreRefusedEitherWay() {
    assertThat(refused("{\"strength\":1e400}"))
        .containsExactly(
            "strength: the number is beyond the range of a double (about 4.9e-324 to 1.8e308)");
    assertThat(refused("{\"metadata\":{\"x\":[-1e309, 1e-400]}}"))
        .hasSize(2)
        .allMatch(e -> e.startsWith("metadata.x["));
    assertThat(refused("{\"m\":1e9999999999}"))
        .containsExactly("m: the number is too long or too large to be read");
    assertThat(refused("{\"m\":1." + "0".repeat(2000) + "}"))
        .containsExactly("m: the number is too long or too large to be read");
    assertThat(refused("{\"m\":1.7976931348623157e308,\"n\":4.9e-324,\"o\":0e-999}")).isEmpty();
  }

  @Test
  void nestingIsBoundedAtSixtyFourLevels() {
    String deepest = "[".repeat(JsonBodies.MAX_DEPTH) + "]".repeat(JsonBodies.MAX_DEPTH);
    assertThat(refused(deepest)).isEmpty();
    assertThat(refused("{\"metadata\":" + "[".repeat(63) + "]".repeat(63) + "}")).isEmpty();

    List<String> tooDeep = refused("{\"metadata\":" + "[".repeat(64) + "]".repeat(64) + "}");
    assertThat(tooDeep).hasSize(1);
    assertThat(tooDeep.get(0)).startsWith("metadata[0][0]").endsWith("nests deeper than 64 levels");

    // Far beyond the JSON provider's own limit (1,000), which would otherwise fail unexplained.
    String huge = "{\"metadata\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
    assertThatThrownBy(() -> JsonBodies.parse(huge))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains("nests deeper than 64 levels");
              assertThat(e.errors()).hasSize(1).allMatch(m -> m.startsWith("metadata["));
            });
  }

  @Test
  void refusalsAreListedTogetherUpToABound() {
    String many = "[" + String.join(",", java.util.Collections.nCopies(50, "\"\\u0000\"")) + "]";
    assertThat(refused(many)).hasSize(JsonBodies.MAX_ERRORS);
    assertThatThrownBy(() -> JsonBodies.parse("{\"type\":\"a\\u0000\",\"strength\":1e999}"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .extracting(m -> m.substring(0, m.indexOf(':')))
                    .containsExactly("type", "strength"));
  }

  @Test
  void malformedJsonIsStillReportedAsSuch() {
    assertThatThrownBy(() -> JsonBodies.parse("{\"type\": "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not valid JSON");
    assertThat(JsonBodies.parse("[]")).isEqualTo(JsonValue.EMPTY_JSON_ARRAY);
    for (String malformed : List.of("[] []", "{\"a\":1,}", "[1 2]", "{\"a\"}", "tru")) {
      assertThatThrownBy(() -> JsonBodies.parse(malformed))
          .as(malformed)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("not valid JSON");
    }
  }
}
