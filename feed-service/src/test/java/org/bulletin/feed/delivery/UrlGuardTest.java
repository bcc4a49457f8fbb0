package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
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

  @Test
  void refusesPortsNoSocketCanUse() {
    UrlGuard guard = new UrlGuard(true, List.of("127.0.0.1/32"));
    assertThat(code(guard, "http://127.0.0.1:65536/p")).isEqualTo("invalid-url");
    assertThat(code(guard, "http://127.0.0.1:99999999/p")).isEqualTo("invalid-url");
    assertThat(code(guard, "http://127.0.0.1:0/p")).isEqualTo("invalid-url");
    assertThat(code(guard, "http://127.0.0.1:65535/p")).isEqualTo("allowed");
    assertThat(code(guard, "HTTP://127.0.0.1:8080/p")).isEqualTo("allowed");
  }

  @Test
  void aPortTooLargeForAnIntIsNamedAsThePortNotAsAMissingHost() {
    UrlGuard guard = new UrlGuard(true, List.of("127.0.0.1/32"));
    for (String url : List.of("http://127.0.0.1:99999999999/cb", "http://hub.example:123456789012345/")) {
      assertThatThrownBy(() -> guard.parse(url)).as(url).isInstanceOf(UrlRefusedException.class)
          .hasMessage("the port must be between 1 and 65535");
    }
    assertThatThrownBy(() -> guard.parse("https:///nohost")).hasMessage("the URL has no host");
    assertThatThrownBy(() -> guard.parse("http://a_b:99999999999/")).hasMessage("the port must be between 1 and 65535");
  }

  @Test
  void namesTheAddressKindWithTheRightArticle() {
    assertThatThrownBy(() -> new UrlGuard(true, List.of()).check("http://0.0.0.0/"))
        .hasMessageContaining("an unspecified (this network) address");
  }

  @Test
  void refusesIpv6TransitionFormsAndNamesTheEmbeddedIpv4Address() {
    UrlGuard guard = new UrlGuard(true, List.of());
    for (String url : List.of("http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b::8.8.8.8]/", "http://[64:ff9b:1::a00:1]/",
        "http://[2002:a9fe:a9fe::1]/", "http://[2002:808:808::1]/", "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",
        "http://[::10.0.0.1]/", "http://[::8.8.8.8]/", "http://[::ffff:0:a00:1]/")) {
      assertThat(code(guard, url)).as(url).isEqualTo("forbidden-address");
    }
    assertThatThrownBy(() -> guard.check("http://[64:ff9b::a9fe:a9fe]/"))
        .hasMessageContaining("NAT64 embedding 169.254.169.254, a cloud-metadata");
    assertThatThrownBy(() -> guard.check("http://[2002:a00:1::1]/")).hasMessageContaining("6to4 embedding 10.0.0.1");
    // Teredo keeps the client address inverted: ~f5ff:fffe is 10.0.0.1.
    assertThatThrownBy(() -> guard.check("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/"))
        .hasMessageContaining("Teredo embedding 10.0.0.1");
    assertThatThrownBy(() -> guard.check("http://[::7f00:1]/")).hasMessageContaining("IPv4-compatible");
  }

  @Test
  void refusesBenchmarkingDocumentationDiscardAndSiteLocalRanges() {
    UrlGuard guard = new UrlGuard(true, List.of());
    for (String url : List.of("http://198.18.0.1/", "http://198.19.255.254/", "http://192.0.2.10/",
        "http://198.51.100.7/", "http://203.0.113.9/", "http://192.0.0.192/", "http://255.255.255.255/",
        "http://224.0.0.1/", "http://168.63.129.16/", "http://[fec0::1]/", "http://[100::1]/", "http://[2001:db8::1]/",
        "http://[2001:2::1]/", "http://[ff02::1]/", "http://[fd00:ec2::254]/", "http://[::]/")) {
      assertThat(code(guard, url)).as(url).isEqualTo("forbidden-address");
    }
    assertThat(code(guard, "http://198.20.0.1/")).isEqualTo("allowed");
    assertThat(code(guard, "http://[2606:4700::1111]/")).isEqualTo("allowed");
  }

  @Test
  void anAllowlistedTransitionPrefixStillMayNotReachAForbiddenEmbeddedAddress() {
    UrlGuard dns64 = new UrlGuard(true, List.of("64:ff9b::/96"));
    assertThat(code(dns64, "http://[64:ff9b::8.8.8.8]/")).isEqualTo("allowed");
    assertThat(code(dns64, "http://[64:ff9b::10.0.0.1]/")).isEqualTo("forbidden-address");
  }

  @Test
  void refusesAHostWhenAnyOfItsAddressesIsForbidden() throws Exception {
    InetAddress[] mixed = {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")};
    UrlGuard guard = new UrlGuard(true, List.of(), host -> mixed);
    assertThatThrownBy(() -> guard.check("http://partner.example/hook"))
        .isInstanceOf(UrlRefusedException.class).hasMessageContaining("10.0.0.7");
  }

  @Test
  void returnsTheVettedAddressesWithoutTheirNamesAndRotatesThemByAttempt() throws Exception {
    InetAddress a = InetAddress.getByAddress("partner.example", new byte[] {93, (byte) 184, (byte) 215, 14});
    InetAddress b = InetAddress.getByName("93.184.215.15");
    VettedUrl vetted = new UrlGuard(true, List.of(), host -> new InetAddress[] {a, b}).check("https://partner.example/h");
    assertThat(vetted.uri().getHost()).isEqualTo("partner.example");
    assertThat(vetted.port()).isEqualTo(443);
    assertThat(vetted.addressFor(1).getHostAddress()).isEqualTo("93.184.215.14");
    assertThat(vetted.addressFor(1).toString()).isEqualTo("/93.184.215.14");
    assertThat(vetted.addressFor(2)).isEqualTo(b);
    assertThat(vetted.addressFor(3).getHostAddress()).isEqualTo("93.184.215.14");
  }

  @Test
  void anUnresolvableHostIsReportedAsSuchSoDeliveryCanRetryIt() {
    UrlGuard guard = new UrlGuard(true, List.of(), host -> {
      throw new UnknownHostException("Temporary failure in name resolution");
    });
    assertThatThrownBy(() -> guard.check("http://partner.example/"))
        .isInstanceOf(HostUnresolvedException.class)
        .hasMessageContaining("partner.example does not resolve (Temporary failure in name resolution)")
        .extracting(e -> ((UrlRefusedException) e).code()).isEqualTo("unresolvable-host");
  }
}
