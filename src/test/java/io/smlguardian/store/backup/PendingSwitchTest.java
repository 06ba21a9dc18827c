package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.privacy.Erasures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingSwitchTest {

  private static final Map<String, CollectionDescriptor<?>> HERE =
      Map.of(
          Erasures.ERASURES.name(), Erasures.ERASURES,
          AccessLogs.COLLECTION.name(), AccessLogs.COLLECTION);

  private final PendingSwitch pending =
      new PendingSwitch(
          "gs-20261205T101500Z-abcd",
          "operator",
          true,
          false,
          new AuditLedger.RestorePlan(false, 7, 9),
          List.of(
              new StoreLoader.Switch(Erasures.ERASURES, false, null, false),
              new StoreLoader.Switch(
                  AccessLogs.COLLECTION,
                  true,
                  Instant.parse("2026-12-05T10:15:00.000001Z"),
                  false)),
          false,
          List.of());

  @Test
  void readsBackWhatItRecordedWithItsProgress() {
    PendingSwitch progressed = pending.withAuditUnplaced().withSwitched(Erasures.ERASURES);

    PendingSwitch read = PendingSwitch.parse(progressed.toJson(), this::named);

    assertThat(read).isEqualTo(progressed);
    assertThat(read.unplaceAudit()).isTrue();
    assertThat(read.auditUnplaced()).isTrue();
    assertThat(read.isSwitched(Erasures.ERASURES)).isTrue();
    assertThat(read.isSwitched(AccessLogs.COLLECTION)).isFalse();
    assertThat(read.audit().rollsBack()).isTrue();
  }

  @Test
  void aRecordNamingACollectionThisServiceLacksIsRefused() {
    assertThatThrownBy(() -> PendingSwitch.parse(pending.toJson(), name -> Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Erasures.ERASURES.name());
  }

  private Optional<CollectionDescriptor<?>> named(String name) {
    return Optional.ofNullable(HERE.get(name));
  }
}
