package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HubSignatureTest {
  @Test
  void isTheHexHmacSha256OfTheBodyUnderTheSecret() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assertThat(HubSignature.of("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void differsForAnotherSecretOrBody() {
    byte[] body = "<feed/>".getBytes(StandardCharsets.UTF_8);
    assertThat(HubSignature.of("a", body)).isNotEqualTo(HubSignature.of("b", body))
        .isNotEqualTo(HubSignature.of("a", "<feed />".getBytes(StandardCharsets.UTF_8)));
  }
}
