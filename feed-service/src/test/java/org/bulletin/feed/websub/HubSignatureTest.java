package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.bulletin.feed.delivery.HubSignatureSigner;
import org.junit.jupiter.api.Test;

/** The signature WebSub deliveries carry (the engine's signer for channel websub). */
class HubSignatureTest {
  private static String signature(String secret, byte[] body) {
    return new HubSignatureSigner(secret).headers("msg", Instant.EPOCH, body).get("X-Hub-Signature");
  }

  @Test
  void isTheHexHmacSha256OfTheBodyUnderTheSecret() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assertThat(signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void differsForAnotherSecretOrBody() {
    byte[] body = "<feed/>".getBytes(StandardCharsets.UTF_8);
    assertThat(signature("a", body)).isNotEqualTo(signature("b", body))
        .isNotEqualTo(signature("a", "<feed />".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void withoutASecretThereIsNoSignatureHeader() {
    assertThat(new HubSignatureSigner(null).headers("msg", Instant.EPOCH, new byte[] {1})).isEmpty();
  }
}
