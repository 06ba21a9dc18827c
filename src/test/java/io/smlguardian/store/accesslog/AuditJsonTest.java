package io.smlguardian.store.accesslog;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit verification views as JSON-B writes them: the JSON the API answered when they were
 * written by hand, character for character.
 */
class AuditJsonTest {

  private static final AuditDigests.Digest DIGEST =
      new AuditDigests.Digest(
          7, "ab12", 70, Instant.parse("2026-11-26T06:15:00.123Z"), "k1", "interval");
  private static final String DIGEST_JSON =
      "{\"block\":7,\"hash\":\"ab12\",\"entries\":70,\"time\":\"2026-11-26T06:15:00.123Z\","
          + "\"keyId\":\"k1\",\"reason\":\"interval\"}";

  @Test
  void aDigest() {
    assertThat(toJson(DIGEST)).isEqualTo(DIGEST_JSON);
  }

  @Test
  void aUserVerificationListsItsProblemsLeavingOutWhatTheyDoNotName() {
    AuditResource.UserAnswer answer =
        new AuditResource.UserAnswer(
            "user-1",
            3,
            2,
            1,
            false,
            List.of(
                new AuditVerifier.Problem("altered", null, "e1", "MAC mismatch"),
                new AuditVerifier.Problem("missing", 4L, null, "block gone")));
    assertThat(toJson(answer))
        .isEqualTo(
            "{\"user\":\"user-1\",\"entries\":3,\"sealed\":2,\"legacy\":1,\"valid\":false,"
                + "\"problems\":[{\"kind\":\"altered\",\"entryId\":\"e1\","
                + "\"detail\":\"MAC mismatch\"},{\"kind\":\"missing\",\"block\":4,"
                + "\"detail\":\"block gone\"}]}");
  }

  @Test
  void aLedgerVerificationLeavesOutTheDigestWhenThereIsNone() {
    assertThat(toJson(new AuditResource.LedgerAnswer(2, 20, 1, true, DIGEST, List.of())))
        .isEqualTo(
            "{\"blocks\":2,\"entries\":20,\"unsealed\":1,\"valid\":true,\"digest\":"
                + DIGEST_JSON
                + ",\"problems\":[]}");
    assertThat(toJson(new AuditResource.LedgerAnswer(0, 0, 0, true, null, List.of())))
        .isEqualTo("{\"blocks\":0,\"entries\":0,\"unsealed\":0,\"valid\":true,\"problems\":[]}");
  }
}
