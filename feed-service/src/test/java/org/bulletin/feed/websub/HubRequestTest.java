package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HubRequestTest {
  private static MultiMap form(String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void parsesASubscriptionAndIgnoresUnknownParameters() throws Exception {
    HubRequest r = HubRequest.parse(form("hub.mode", "subscribe", "hub.topic", "https://f.test/feeds/reports.atom",
        "hub.callback", "https://sub.test/cb?a=1", "hub.lease_seconds", "3600", "hub.secret", "abc",
        "hub.extra", "x", "foo", "bar"));
    assertThat(r.mode()).isEqualTo(HubRequest.Mode.SUBSCRIBE);
    assertThat(r.callback()).isEqualTo("https://sub.test/cb?a=1");
    assertThat(r.leaseSeconds()).isEqualTo(3600L);
    assertThat(r.secret()).isEqualTo("abc");
    assertThat(r.toString()).doesNotContain("abc");
  }

  @Test
  void anUnsubscriptionNeedsNoLeaseNorSecret() throws Exception {
    HubRequest r = HubRequest.parse(form("hub.mode", "unsubscribe", "hub.topic", "https://f.test/t",
        "hub.callback", "https://sub.test/cb", "hub.secret", ""));
    assertThat(r.mode()).isEqualTo(HubRequest.Mode.UNSUBSCRIBE);
    assertThat(r.leaseSeconds()).isNull();
    assertThat(r.secret()).isNull();
  }

  @Test
  void refusesMissingOrInvalidFieldsNamingThem() {
    assertRefused(form("hub.topic", "https://f.test/t", "hub.callback", "https://s.test/"), "hub.mode is missing");
    assertRefused(form("hub.mode", "publish", "hub.topic", "https://f.test/t", "hub.callback", "https://s.test/"),
        "hub.mode must be");
    assertRefused(form("hub.mode", "subscribe", "hub.callback", "https://s.test/"), "hub.topic is missing");
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t"), "hub.callback is missing");
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback", "ftp://s.test/"),
        "hub.callback must be an absolute http or https URL");
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback", "https://s.test/"
        + "a".repeat(2100)), "longer than");
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback", "https://s.test/",
        "hub.lease_seconds", "-5"), "hub.lease_seconds");
  }

  @Test
  void aLeaseLongerThanAnyBoundIsCutNotRefused() throws Exception {
    HubRequest r = HubRequest.parse(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t",
        "hub.callback", "https://s.test/", "hub.lease_seconds", "9".repeat(30)));
    assertThat(r.leaseSeconds()).isGreaterThan(Integer.MAX_VALUE);
  }

  @Test
  void refusesARepeatedHubParameterAndACallbackWithAFragmentButTakesAnyCaseOfTheScheme() throws Exception {
    assertRefused(form("hub.mode", "subscribe", "hub.mode", "unsubscribe", "hub.topic", "https://f.test/t",
        "hub.callback", "https://s.test/"), "hub.mode is given more than once");
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback", "https://s.test/",
        "hub.callback", "https://other.test/"), "hub.callback is given more than once");
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback",
        "https://s.test/cb#x"), "must not have a fragment");
    assertThat(HubRequest.parse(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback",
        "HTTPS://s.test/cb")).callback()).isEqualTo("HTTPS://s.test/cb");
  }

  @Test
  void aSecretMustBeLessThan200Bytes() throws Exception {
    assertThat(HubRequest.parse(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t",
        "hub.callback", "https://s.test/", "hub.secret", "x".repeat(199))).secret()).hasSize(199);
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback", "https://s.test/",
        "hub.secret", "x".repeat(200)), "less than 200 bytes");
    // Bytes, not characters: 100 two-byte characters are 200 bytes.
    assertRefused(form("hub.mode", "subscribe", "hub.topic", "https://f.test/t", "hub.callback", "https://s.test/",
        "hub.secret", "é".repeat(100)), "less than 200 bytes");
  }

  private static void assertRefused(MultiMap form, String reason) {
    assertThatThrownBy(() -> HubRequest.parse(form)).isInstanceOf(HubRequestException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((HubRequestException) e).status()).isEqualTo(400));
  }
}
