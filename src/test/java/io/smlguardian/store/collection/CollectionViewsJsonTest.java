package io.smlguardian.store.collection;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.memory.Memories;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The collection resource's fixed-shape answers as JSON-B writes them: the JSON the API answered
 * when they were written by hand, character for character.
 */
class CollectionViewsJsonTest {

  @Test
  void aDescriptionNamesTheCollectionThenItsFieldsInSchemaOrder() {
    CollectionDescriptor<?> memories = Memories.COLLECTION;
    String json = toJson(CollectionResource.Description.of(memories));
    assertThat(json)
        .startsWith(
            "{\"name\":\"memories\",\"category\":\""
                + memories.category().label()
                + "\",\"sensitive\":"
                + memories.category().sensitive()
                + ",\"owned\":"
                + memories.owned()
                + ",\"defaultRetention\":\""
                + memories.defaultRetention()
                + "\",\"timeField\":\""
                + memories.timeField()
                + "\",\"fields\":[{\"name\":\"id\",\"type\":\"uuid\",\"required\":");
    assertThat(toJson(new CollectionResource.Field("strength", "number", true, "write", true)))
        .isEqualTo(
            "{\"name\":\"strength\",\"type\":\"number\",\"required\":true,\"access\":\"write\","
                + "\"query\":true}");
  }

  @Test
  void aResetAndACount() {
    Map<String, Long> cleared = new LinkedHashMap<>();
    cleared.put("memories", 3L);
    cleared.put("sessions", 1L);
    assertThat(toJson(new CollectionResource.Cleared(cleared, 4)))
        .isEqualTo("{\"cleared\":{\"memories\":3,\"sessions\":1},\"total\":4}");
    assertThat(toJson(new CollectionResource.Count(12))).isEqualTo("{\"count\":12}");
  }
}
