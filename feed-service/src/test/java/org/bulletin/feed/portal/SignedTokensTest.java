package org.bulletin.feed.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedTokensTest {
  private static final byte[] KEY_A = "a-key-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_B = "another-key-of-thirty-two-bytes-or-more".getBytes(StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  private final SignedTokens tokens = new SignedTokens(List.of(KEY_A));

  @Test
  void verifiesItsOwnTokenAndReturnsTheClaims() {
    String t = tokens.sign("link", "ptn_1", "n1", NOW.plusSeconds(60));
    assertThat(tokens.verify("link", t, NOW)).hasValueSatisfying(c -> {
      assertThat(c.subject()).isEqualTo("ptn_1");
      assertThat(c.nonce()).isEqualTo("n1");
      assertThat(c.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    });
  }

  @Test
  void refusesATokenMadeForAnotherPurpose() {
    String link = tokens.sign("link", "ptn_1", "n1", NOW.plusSeconds(60));
    assertThat(tokens.verify("session", link, NOW)).isEmpty();
  }

  @Test
  void refusesAnExpiredToken() {
    String t = tokens.sign("link", "ptn_1", "n1", NOW.plusSeconds(60));
    assertThat(tokens.verify("link", t, NOW.plusSeconds(60))).isEmpty();
    assertThat(tokens.verify("link", t, NOW.plusSeconds(59))).isPresent();
  }

  @Test
  void refusesATokenWhoseSubjectOrExpiryWasChanged() {
    String t = tokens.sign("link", "ptn_1", "n1", NOW.plusSeconds(60));
    String[] p = t.split("\\.");
    String otherPartner = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("ptn_2".getBytes(StandardCharsets.UTF_8));
    assertThat(tokens.verify("link", otherPartner + "." + p[1] + "." + p[2] + "." + p[3], NOW)).isEmpty();
    assertThat(tokens.verify("link", p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 3600) + "." + p[3], NOW))
        .isEmpty();
  }

  @Test
  void refusesATokenSignedWithAnUnknownKey() {
    String t = new SignedTokens(List.of(KEY_B)).sign("link", "ptn_1", "n1", NOW.plusSeconds(60));
    assertThat(tokens.verify("link", t, NOW)).isEmpty();
  }

  @Test
  void acceptsTokensOfTheOldKeyDuringARotation() {
    String old = tokens.sign("link", "ptn_1", "n1", NOW.plusSeconds(60));
    SignedTokens rotated = new SignedTokens(List.of(KEY_B, KEY_A));
    assertThat(rotated.verify("link", old, NOW)).isPresent();
    String fresh = rotated.sign("link", "ptn_1", "n2", NOW.plusSeconds(60));
    assertThat(tokens.verify("link", fresh, NOW)).as("signed with the new key").isEmpty();
    assertThat(rotated.matches("csrf", "sid", tokens.derive("csrf", "sid"))).isTrue();
  }

  @Test
  void refusesGarbageWithoutThrowing() {
    for (String garbage : new String[] {null, "", ".", "a.b.c", "a.b.c.d", "!!.!!.x.!!", "a.b.99999999999999999999.c",
        "x".repeat(5000)}) {
      assertThat(tokens.verify("link", garbage, NOW)).as(String.valueOf(garbage)).isEmpty();
    }
  }

  @Test
  void derivedValuesAreBoundToTheirData() {
    String csrf = tokens.derive("csrf", "session-1");
    assertThat(tokens.matches("csrf", "session-1", csrf)).isTrue();
    assertThat(tokens.matches("csrf", "session-2", csrf)).isFalse();
    assertThat(tokens.matches("other", "session-1", csrf)).isFalse();
    assertThat(tokens.matches("csrf", "session-1", null)).isFalse();
  }

  @Test
  void refusesShortKeys() {
    assertThatThrownBy(() -> new SignedTokens(List.of(new byte[16]))).hasMessageContaining("32 bytes");
  }
}
