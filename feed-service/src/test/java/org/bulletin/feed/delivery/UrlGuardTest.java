package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlGuardTest {
  private final UrlGuard strict = new UrlGuard(false, List.of());

  private static String code(UrlGuard guard, String url) {
    try {
      guard.check(url);
      return "allowed";
    } catch (UrlRefusedException e) {
      return e.code();
    }
  }

  @Test
  void refusesMetadataPrivateLoopbackAndLinkLocalAddresses() {
    UrlGuard guard = new UrlGuard(true, List.of());
    for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "http://172.16.5.4/",
        "http://192.168.1.1/", "http://127.0.0.1:8080/", "http://[::1]/", "http://0.0.0.0/", "http://100.64.0.1/",
        "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/", "http://localhost/")) {
      assertThat(code(guard, url)).as(url).isEqualTo("forbidden-address");
    }
  }

  @Test
  void explainsWhyAnAddressIsRefused() {
    assertThatThrownBy(() -> new UrlGuard(true, List.of()).check("http://169.254.169.254/"))
        .hasMessageContaining("cloud-metadata");
    assertThatThrownBy(() -> new UrlGuard(true, List.of()).check("http://10.0.0.1/")).hasMessageContaining("private");
  }

  @Test
  void refusalsNameTheEnvironmentVariableThatWouldAllowThem() {
    assertThatThrownBy(() -> strict.check("http://93.184.215.14/")).hasMessageContaining("BULLETIN_WEBHOOK_ALLOW_HTTP");
    assertThatThrownBy(() -> new UrlGuard(true, List.of()).check("http://127.0.0.1:9000/"))
        .hasMessageContaining("BULLETIN_WEBHOOK_ALLOWLIST");
  }

  @Test
  void requiresHttpsUnlessHttpIsAllowed() {
    assertThat(code(strict, "http://93.184.215.14/")).isEqualTo("insecure-url");
    assertThat(code(strict, "ftp://93.184.215.14/")).isEqualTo("insecure-url");
    assertThat(code(strict, "https://93.184.215.14/hook")).isEqualTo("allowed");
    assertThat(code(new UrlGuard(true, List.of()), "http://93.184.215.14/")).isEqualTo("allowed");
  }

  @Test
  void allowlistedCidrsMayBeReached() {
    UrlGuard guard = new UrlGuard(true, List.of("127.0.0.1/32", "10.1.0.0/16"));
    assertThat(code(guard, "http://127.0.0.1:9000/hook")).isEqualTo("allowed");
    assertThat(code(guard, "http://10.1.200.3/")).isEqualTo("allowed");
    assertThat(code(guard, "http://10.2.0.1/")).isEqualTo("forbidden-address");
    assertThat(code(guard, "http://127.0.0.2/")).isEqualTo("forbidden-address");
  }

  @Test
  void refusesMalformedUrlsAndCredentials() {
    assertThat(code(strict, "not a url")).isEqualTo("invalid-url");
    assertThat(code(strict, "https://user:pw@93.184.215.14/")).isEqualTo("invalid-url");
    assertThat(code(strict, "https:///nohost")).isEqualTo("invalid-url");
  }
}
