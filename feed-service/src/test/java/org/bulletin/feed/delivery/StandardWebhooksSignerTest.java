package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signatures checked with the reference Java library of Standard Webhooks. */
class StandardWebhooksSignerTest {
  private static Map<String, List<String>> headers(String id, long ts, String signature) {
    return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(String.valueOf(ts)),
        "webhook-signature", List.of(signature));
  }

  @Test
  void secretsAreStandardWebhooksSecrets() {
    String secret = StandardWebhooksSigner.newSecret();
    assertThat(secret).startsWith("whsec_");
    int bytes = Base64.getDecoder().decode(secret.substring(6)).length;
    assertThat(bytes).isBetween(24, 64);
    assertThat(StandardWebhooksSigner.newSecret()).isNotEqualTo(secret);
  }

  @Test
  void referenceLibraryVerifiesOurSignature() throws Exception {
    String secret = StandardWebhooksSigner.newSecret();
    long ts = Instant.now().getEpochSecond();
    String body = "{\"type\":\"report.published\",\"data\":{\"id\":\"x\"}}";
    String signature = StandardWebhooksSigner.signature(List.of(secret), "msg_1", ts, body);
    assertThat(signature).startsWith("v1,");
    new Webhook(secret).verify(body, headers("msg_1", ts, signature));
  }

  @Test
  void duringRotationBothSecretsVerify() throws Exception {
    String current = StandardWebhooksSigner.newSecret();
    String previous = StandardWebhooksSigner.newSecret();
    long ts = Instant.now().getEpochSecond();
    String signature = StandardWebhooksSigner.signature(List.of(current, previous), "msg_2", ts, "{}");
    assertThat(signature.split(" ")).hasSize(2);
    new Webhook(current).verify("{}", headers("msg_2", ts, signature));
    new Webhook(previous).verify("{}", headers("msg_2", ts, signature));
  }

  @Test
  void aTamperedBodyFailsVerification() {
    String secret = StandardWebhooksSigner.newSecret();
    long ts = Instant.now().getEpochSecond();
    String signature = StandardWebhooksSigner.signature(List.of(secret), "msg_3", ts, "{\"a\":1}");
    assertThatThrownBy(() -> new Webhook(secret).verify("{\"a\":2}", headers("msg_3", ts, signature)))
        .isInstanceOf(WebhookVerificationException.class);
  }
}
