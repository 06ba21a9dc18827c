package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The right to be forgotten: a privacy officer erases a user; nothing of the user remains but the
 * audit trail, other users are untouched, and the receipt counts exactly what was erased.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class ErasureApiIT {

  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-officer-" + UUID.randomUUID(), "privacy-officer"));
  private static final List<String> ERASABLE =
      Samples.COLLECTIONS.stream()
          .filter(c -> !c.equals("metrics") && !c.equals("access_logs"))
          .toList();

  private static long rowsOf(String table, String user) {
    return (Long) Database.single("SELECT count(*) FROM " + table + " WHERE user_id = ?", user);
  }

  @Test
  void erasesEverythingOfTheUserButTheAuditTrailAndReturnsAReceipt() {
    String user = "erase-" + UUID.randomUUID();
    String other = "keep-" + UUID.randomUUID();
    for (String collection : ERASABLE) {
      Api.post("/api/collections/" + collection, Samples.record(collection, user));
      Api.post("/api/collections/" + collection, Samples.record(collection, user));
      Api.post("/api/collections/" + collection, Samples.record(collection, other));
    }

    long auditEntries = rowsOf("access_logs", user);

    Api.Reply reply = OFFICER.delete("/api/privacy/users/" + user, null);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonObject receipt = reply.object();
    assertThat(receipt.getString("userId")).isEqualTo(user);
    assertThat(receipt.getString("receiptId")).isNotBlank();
    assertThat(receipt.getInt("total")).isEqualTo(2 * ERASABLE.size());
    for (String collection : ERASABLE) {
      assertThat(receipt.getJsonObject("erased").getInt(collection)).as(collection).isEqualTo(2);
      assertThat(rowsOf(collection, user)).as(collection).isZero();
      assertThat(rowsOf(collection, other)).as(collection).isEqualTo(1);
    }
    assertThat(receipt.getJsonObject("exempt").getString("access_logs")).contains("compliance");
    assertThat(receipt.getInt("keysDestroyed")).isEqualTo(1);
    assertThat(rowsOf("user_keys", user)).isZero();
    assertThat(rowsOf("user_keys", other)).isEqualTo(1);
    // The audit trail keeps the user's entries and gains the receipt.
    assertThat(
            Database.single(
                "SELECT count(*) FROM access_logs WHERE user_id = ? AND access_type = 'erasure'"
                    + " AND reason LIKE ?",
                user,
                "%" + receipt.getString("receiptId") + "%"))
        .isEqualTo(1L);
    assertThat(auditEntries).isEqualTo(ERASABLE.size() * 2); // one per insert request
    assertThat(rowsOf("access_logs", user)).isEqualTo(auditEntries + 1);
  }

  @Test
  void erasingAUserWithNothingIsNotAnError() {
    Api.Reply reply = OFFICER.delete("/api/privacy/users/nobody-" + UUID.randomUUID(), null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.object().getInt("total")).isZero();
  }

  @Test
  void onlyPrivacyOfficersMayErase() {
    String user = "protected-" + UUID.randomUUID();
    Api.post("/api/collections/memories", Samples.record("memories", user));
    for (String role : List.of("user", "service", "auditor", "operator")) {
      Api.Reply reply =
          Api.as(TestTokens.token(user, role)).delete("/api/privacy/users/" + user, null);
      assertThat(reply.status()).as(role).isEqualTo(403);
    }
    assertThat(rowsOf("memories", user)).isEqualTo(1);
  }
}
