package org.bulletin.feed.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses webhook URLs that would make Bulletin call into private networks: https only (unless
 * http is allowed), and no loopback, private, link-local, carrier-grade NAT, unspecified,
 * multicast or cloud-metadata address after DNS resolution, unless an allowlisted CIDR permits it.
 * Checked when a subscription is saved and again before every delivery. Thread-safe; {@link
 * #check} resolves DNS and so blocks.
 */
public final class UrlGuard {
  private final boolean allowHttp;
  private final List<Cidr> allowlist;

  public UrlGuard(boolean allowHttp, List<String> allowlist) {
    this.allowHttp = allowHttp;
    this.allowlist = allowlist.stream().map(Cidr::parse).toList();
  }

  /** The URL's form alone (no DNS): scheme, host, no credentials. */
  public URI parse(String url) throws UrlRefusedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new UrlRefusedException("invalid-url", "not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new UrlRefusedException("insecure-url", allowHttp ? "the URL must use http or https"
          : "the URL must use https; http is refused unless the operator sets BULLETIN_WEBHOOK_ALLOW_HTTP=true"
              + " (webhook.allow.http)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new UrlRefusedException("invalid-url", "the URL has no host");
    }
    if (uri.getUserInfo() != null) {
      throw new UrlRefusedException("invalid-url", "the URL must not contain credentials");
    }
    return uri;
  }

  /** Parses, resolves and checks every address the host resolves to. Blocking. */
  public URI check(String url) throws UrlRefusedException {
    URI uri = parse(url);
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      throw new UrlRefusedException("unresolvable-host", "the host " + uri.getHost() + " does not resolve");
    }
    for (InetAddress address : addresses) {
      String why = forbidden(address);
      if (why != null && allowlist.stream().noneMatch(c -> c.contains(address))) {
        throw new UrlRefusedException("forbidden-address", "the host " + uri.getHost() + " resolves to "
            + address.getHostAddress() + ", a " + why + " address, which webhooks may not reach unless the"
            + " operator lists its network in BULLETIN_WEBHOOK_ALLOWLIST (webhook.allowlist, e.g. 127.0.0.1/32)");
      }
    }
    return uri;
  }

  /** Why an address is refused, or {@code null} if it is public. */
  static String forbidden(InetAddress a) {
    if (a instanceof Inet6Address v6 && isMappedV4(v6)) {
      byte[] b = v6.getAddress();
      try {
        return forbidden(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
      } catch (UnknownHostException e) {
        return "malformed";
      }
    }
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isLinkLocalAddress()) {
      return a instanceof Inet4Address && a.getHostAddress().equals("169.254.169.254") ? "cloud-metadata" : "link-local";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 100 && second >= 64 && second <= 127) {
        return "carrier-grade NAT";
      }
      if (first == 0 || first >= 240) {
        return "reserved";
      }
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
        return "reserved";
      }
    } else if ((b[0] & 0xfe) == 0xfc) {
      return "private (unique local)";
    } else if ((b[0] & 0xff) == 0xfd && (b[1] & 0xff) == 0x00 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2) {
      return "cloud-metadata";
    }
    return null;
  }

  private static boolean isMappedV4(Inet6Address a) {
    byte[] b = a.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  /** An allowlisted network. */
  record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      String[] parts = text.trim().split("/");
      try {
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("bad prefix in " + text);
        }
        return new Cidr(address, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR such as 127.0.0.1/32", e);
      }
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((b[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
