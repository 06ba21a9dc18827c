package io.smlguardian.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MongoClientSettingsTest {

  @Test
  void anUnreachableServerIsGivenUpAfterFiveSecondsNotTheDriversThirty() {
    var settings = MongoRecordStore.settings(new ConnectionString("mongodb://db:27017/guardian"));
    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(5_000);
  }

  @Test
  void theConnectionStringOverridesTheStoresDefault() {
    var settings =
        MongoRecordStore.settings(
            new ConnectionString("mongodb://db:27017/guardian?serverSelectionTimeoutMS=1500"));
    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(1_500);
  }
}
