package org.bulletin.feed.portal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bulletin.feed.delivery.Durations;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;

/**
 * The partner portal's settings.
 *
 * @param keys keys signing portal links and sessions (the first signs, all verify); empty: the
 *     portal is off
 * @param linkLifetime how long a portal link can be opened
 * @param sessionLifetime how long a session lasts after the link was opened
 * @param secureCookies mark the session cookie Secure (the public URL is https)
 */
public record PortalSettings(List<byte[]> keys, Duration linkLifetime, Duration sessionLifetime,
    String baseUrl, boolean secureCookies) {

  public boolean enabled() {
    return !keys.isEmpty();
  }

  public static PortalSettings from(Config config) {
    List<byte[]> keys = new ArrayList<>();
    for (String k : config.list("portal.secrets")) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(k);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("portal.secrets (BULLETIN_PORTAL_SECRETS): each key must be base64", e);
      }
      if (key.length < 32) {
        throw new ConfigException("portal.secrets (BULLETIN_PORTAL_SECRETS): each key must have at least 32 bytes"
            + " (e.g. openssl rand -base64 32); one has " + key.length);
      }
      keys.add(key);
    }
    try {
      Duration link = Durations.parse(config.string("portal.link.lifetime"));
      Duration session = Durations.parse(config.string("portal.session.lifetime"));
      if (link.isZero() || session.isZero()) {
        throw new IllegalArgumentException("lifetimes must be longer than zero");
      }
      String baseUrl = config.string("feed.base.url").replaceAll("/+$", "");
      return new PortalSettings(List.copyOf(keys), link, session, baseUrl, baseUrl.startsWith("https:"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("portal settings: " + e.getMessage(), e);
    }
  }
}
