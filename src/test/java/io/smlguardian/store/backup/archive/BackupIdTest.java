package io.smlguardian.store.backup.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupIdTest {

  @Test
  void aNewIdSaysWhenAndParsesBack() {
    BackupId id = BackupId.at(Instant.parse("2026-11-26T06:15:00.987Z"));

    assertThat(id.value()).matches("gs-20261126T061500Z-[a-z0-9]{8}");
    assertThat(id.created()).isEqualTo(Instant.parse("2026-11-26T06:15:00Z"));
    assertThat(BackupId.parse(id.value())).isEqualTo(id);
    assertThat(BackupId.isArchiveName(id.value() + ".zip")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "..",
        "../gs-20261126T061500Z-abcdefgh",
        "gs-20261126T061500Z-abcdefgh/..",
        "gs-20261126T061500Z-abcdefgh.zip",
        "gs-20261126T061500Z-ABCDEFGH",
        "gs-20261126T061500Z-abcdefg",
        "gs-20261126T061500Z-abcdefghi",
        "gs-20261332T061500Z-abcdefgh",
        "gs-20260230T061500Z-abcdefgh",
        "/etc/passwd",
        "gs-20261126T061500Z-abc%2F..",
        "gs-20261126T061500Z-abcdefgh\n",
        "erasures.jsonl"
      })
  void anythingElseIsRefused(String text) {
    assertThatThrownBy(() -> BackupId.parse(text))
        .isInstanceOf(BackupId.InvalidBackupIdException.class)
        .hasMessageContaining("is not a backup id");
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> BackupId.parse(null))
        .isInstanceOf(BackupId.InvalidBackupIdException.class);
  }

  @Test
  void idsSortByTime() {
    BackupId older = BackupId.parse("gs-20261001T000000Z-zzzzzzzz");
    BackupId newer = BackupId.parse("gs-20261126T061500Z-aaaaaaaa");

    assertThat(older).isLessThan(newer);
  }
}
