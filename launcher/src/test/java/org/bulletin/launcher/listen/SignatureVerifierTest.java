package org.bulletin.launcher.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bulletin.feed.delivery.StandardWebhooksSigner;
import org.junit.jupiter.api.Test;

/** The listener's verifier, written from the specification, agrees with Bulletin's signer. */
class SignatureVerifierTest {
  private static final long NOW = 1_700_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final String BODY = "{\"type\":\"report.published\",\"data\":{\"id\":\"r1\",\"title\":\"Tï\"}}";

  private final String secret = StandardWebhooksSigner.newSecret();
  private final SignatureVerifier verifier = new SignatureVerifier(secret, Duration.ofMinutes(5), CLOCK);

  private SignatureVerifier.Result verify(String id, long ts, String signature, String body) {
    return verifier.verify(id, String.valueOf(ts), signature, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void verifiesWhatBulletinSigns() {
    String signature = StandardWebhooksSigner.signature(List.of(secret), "msg_1", NOW, BODY);
    assertThat(verify("msg_1", NOW, signature, BODY).verified()).isTrue();
  }

  @Test
  void acceptsAnyOfSeveralSignaturesDuringARotation() {
    String signature = StandardWebhooksSigner.signature(List.of(StandardWebhooksSigner.newSecret(), secret), "msg_1", NOW, BODY);
    assertThat(signature).contains(" ");
    assertThat(verify("msg_1", NOW, signature, BODY).verified()).isTrue();
  }

  @Test
  void refusesATamperedBodyAnotherIdOrAnotherSecret() {
    String signature = StandardWebhooksSigner.signature(List.of(secret), "msg_1", NOW, BODY);
    assertThat(verify("msg_1", NOW, signature, BODY.replace("r1", "r2")).verified()).isFalse();
    assertThat(verify("msg_2", NOW, signature, BODY).verified()).isFalse();
    String other = StandardWebhooksSigner.signature(List.of(StandardWebhooksSigner.newSecret()), "msg_1", NOW, BODY);
    SignatureVerifier.Result result = verify("msg_1", NOW, other, BODY);
    assertThat(result.verified()).isFalse();
    assertThat(result.malformed()).isFalse();
    assertThat(result.reason()).contains("no signature matches");
  }

  @Test
  void refusesTimestampsOutsideTheToleranceEitherWay() {
    for (long ts : new long[] {NOW - 301, NOW + 301}) {
      String signature = StandardWebhooksSigner.signature(List.of(secret), "msg_1", ts, BODY);
      SignatureVerifier.Result result = verify("msg_1", ts, signature, BODY);
      assertThat(result.verified()).isFalse();
      assertThat(result.reason()).contains("tolerance of 300 s");
    }
    String withinTolerance = StandardWebhooksSigner.signature(List.of(secret), "msg_1", NOW - 299, BODY);
    assertThat(verify("msg_1", NOW - 299, withinTolerance, BODY).verified()).isTrue();
  }

  @Test
  void saysWhichHeaderIsMissingOrMalformed() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(null, "1", "v1,x", body).reason()).contains("webhook-id");
    assertThat(verifier.verify("msg_1", null, "v1,x", body).reason()).contains("webhook-timestamp");
    assertThat(verifier.verify("msg_1", "1", null, body).reason()).contains("webhook-signature");
    assertThat(verifier.verify("msg_1", "yesterday", "v1,x", body).reason()).contains("not a number");
    SignatureVerifier.Result noV1 = verifier.verify("msg_1", String.valueOf(NOW), "v1a,abc", body);
    assertThat(noV1.malformed()).isTrue();
    assertThat(noV1.reason()).contains("no v1 signature");
  }

  @Test
  void refusesASecretThatIsNotBase64() {
    assertThatThrownBy(() -> new SignatureVerifier("whsec_not base64!", Duration.ofMinutes(5), CLOCK))
        .hasMessageContaining("whsec_");
  }

  @Test
  void refusesASecretWithoutTheWhsecPrefix() {
    assertThatThrownBy(() -> new SignatureVerifier("nope", Duration.ofMinutes(5), CLOCK))
        .hasMessageContaining("whsec_");
  }
}
