package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HubSignatureSignerTest {
  @Test
  void signsTheBodyWithHmacSha256AsHexLikeRfc4231() {
    // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
    var headers = new HubSignatureSigner("Jefe").headers("m-1", Instant.EPOCH,
        "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));

    assertThat(headers).containsOnlyKeys("X-Hub-Signature");
    assertThat(headers.get("X-Hub-Signature"))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void withoutASecretNoSignatureHeaderIsSent() {
    byte[] body = "<feed/>".getBytes(StandardCharsets.UTF_8);
    assertThat(new HubSignatureSigner(null).headers("m-1", Instant.EPOCH, body)).isEmpty();
    assertThat(new HubSignatureSigner("").headers("m-1", Instant.EPOCH, body)).isEmpty();
  }

  @Test
  void theSignatureDependsOnTheBodyOnly() {
    HubSignatureSigner signer = new HubSignatureSigner("s3cret");
    byte[] body = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
    assertThat(signer.headers("a", Instant.EPOCH, body)).isEqualTo(signer.headers("b", Instant.now(), body));
    assertThat(signer.headers("a", Instant.EPOCH, body))
        .isNotEqualTo(signer.headers("a", Instant.EPOCH, "{\"items\":[1]}".getBytes(StandardCharsets.UTF_8)));
  }
}
