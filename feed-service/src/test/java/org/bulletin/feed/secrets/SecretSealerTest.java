package org.bulletin.feed.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.junit.jupiter.api.Test;

class SecretSealerTest {
  private static final byte[] K1 = new byte[32];
  private static final byte[] K2 = new byte[32];

  static {
    K2[0] = 1;
  }

  @Test
  void aSealedSecretCarriesTheKeyIdAndNotTheSecretAndOpensForItsSubscriptionOnly() {
    SecretSealer sealer = new SecretSealer(SecretKeys.of(Map.of("k1", K1), "k1"));
    String sealed = sealer.seal("whsec_c2VjcmV0", "sub_1");
    assertThat(sealed).startsWith("enc:v1:k1:").doesNotContain("c2VjcmV0");
    assertThat(sealer.seal("whsec_c2VjcmV0", "sub_1")).isNotEqualTo(sealed);
    assertThat(sealer.open(sealed, "sub_1")).isEqualTo("whsec_c2VjcmV0");
    assertThatThrownBy(() -> sealer.open(sealed, "sub_2")).isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void afterARotationOldRecordsOpenWithTheOldKeyAndNewOnesAreSealedWithTheNew() {
    String old = new SecretSealer(SecretKeys.of(Map.of("k1", K1), "k1")).seal("whsec_b2xk", "sub_1");
    SecretSealer rotated = new SecretSealer(SecretKeys.of(Map.of("k1", K1, "k2", K2), "k2"));
    assertThat(rotated.open(old, "sub_1")).isEqualTo("whsec_b2xk");
    assertThat(rotated.sealedWithActiveKey(old)).isFalse();
    String fresh = rotated.seal("whsec_b2xk", "sub_1");
    assertThat(fresh).startsWith("enc:v1:k2:");
    assertThat(rotated.sealedWithActiveKey(fresh)).isTrue();
    SecretSealer withoutOld = new SecretSealer(SecretKeys.of(Map.of("k2", K2), "k2"));
    assertThatThrownBy(() -> withoutOld.open(old, "sub_1")).isInstanceOf(SecretUnreadableException.class)
        .hasMessageContaining("k1");
  }

  @Test
  void aClearTextSecretFromBeforeEncryptionIsReadAsItIs() {
    SecretSealer sealer = new SecretSealer(SecretKeys.of(Map.of("k1", K1), "k1"));
    assertThat(sealer.open("whsec_Y2xlYXI=", "sub_1")).isEqualTo("whsec_Y2xlYXI=");
    assertThat(sealer.sealedWithActiveKey("whsec_Y2xlYXI=")).isFalse();
  }

  @Test
  void aTamperedCiphertextDoesNotOpen() {
    SecretSealer sealer = new SecretSealer(SecretKeys.of(Map.of("k1", K1), "k1"));
    String sealed = sealer.seal("whsec_c2VjcmV0", "sub_1");
    char last = sealed.charAt(sealed.length() - 2);
    String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
    assertThatThrownBy(() -> sealer.open(tampered, "sub_1")).isInstanceOf(SecretUnreadableException.class);
  }

  @Test
  void keysComeFromConfigurationAndBadOnesAreRefusedWithoutShowingThem() {
    String k = Base64.getEncoder().encodeToString(K2);
    SecretKeys keys = SecretKeys.from(Config.of(Map.of("secrets.keys", "a:" + k + ",b:" + k, "secrets.active.key", "b")));
    assertThat(keys.activeId()).isEqualTo("b");
    assertThat(keys.toString()).doesNotContain(k);
    assertThatThrownBy(() -> SecretKeys.from(Config.of(Map.of("secrets.keys", "a:c2hvcnQ="))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SecretKeys.from(Config.of(Map.of("secrets.keys", "a:" + k, "secrets.active.key", "z"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("z");
    assertThat(SecretKeys.from(Config.of(Map.of())).isEmpty()).isTrue();
  }
}
