package org.bulletin.feed.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses webhook URLs that would make Bulletin call into private networks: https only (unless
 * http is allowed), and no address from {@link ForbiddenAddresses} (loopback, private, link-local,
 * cloud metadata, IPv6 transition forms…) after DNS resolution, unless an allowlisted CIDR permits
 * it. Checked when a subscription is saved and again before every delivery; the delivery then
 * connects to an address vetted here. Thread-safe; {@link #check} resolves DNS and so blocks.
 */
public final class UrlGuard {
  /** Resolves a host name to all its addresses; blocking. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowHttp;
  private final List<Cidr> allowlist;
  private final Resolver resolver;

  public UrlGuard(boolean allowHttp, List<String> allowlist) {
    this(allowHttp, allowlist, InetAddress::getAllByName);
  }

  public UrlGuard(boolean allowHttp, List<String> allowlist, Resolver resolver) {
    this.allowHttp = allowHttp;
    this.allowlist = allowlist.stream().map(Cidr::parse).toList();
    this.resolver = resolver;
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
      // java.net.URI reads a port beyond an int as part of a registry name, leaving no host.
      String authority = uri.getRawAuthority();
      if (authority != null && authority.matches("[^@/]*[^:@/]:[0-9]{6,}")) {
        throw new UrlRefusedException("invalid-url", "the port must be between 1 and 65535");
      }
      throw new UrlRefusedException("invalid-url", "the URL has no host");
    }
    if (uri.getUserInfo() != null) {
      throw new UrlRefusedException("invalid-url", "the URL must not contain credentials");
    }
    // java.net.URI takes any number as a port; a socket address does not, and would throw later.
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new UrlRefusedException("invalid-url", "the port must be between 1 and 65535");
    }
    return uri;
  }

  /**
   * Parses, resolves once and checks every address the host resolves to. Blocking.
   *
   * @throws HostUnresolvedException if the host does not resolve (possibly transient)
   * @throws UrlRefusedException if the URL or any of its addresses is refused
   */
  public VettedUrl check(String url) throws UrlRefusedException {
    URI uri = parse(url);
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] resolved;
    try {
      resolved = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new HostUnresolvedException(host, e);
    }
    if (resolved == null || resolved.length == 0) {
      throw new HostUnresolvedException(host, new UnknownHostException("no address"));
    }
    List<InetAddress> vetted = new ArrayList<>(resolved.length);
    for (InetAddress address : resolved) {
      String why = ForbiddenAddresses.why(address, this::allowlisted);
      if (why != null) {
        throw new UrlRefusedException("forbidden-address", "the host " + host + " resolves to "
            + address.getHostAddress() + ", " + (why.matches("^[aeiou].*") ? "an " : "a ") + why + " address, which webhooks may not reach unless the"
            + " operator lists its network in BULLETIN_WEBHOOK_ALLOWLIST (webhook.allowlist, e.g. 127.0.0.1/32)");
      }
      vetted.add(withoutName(address));
    }
    return new VettedUrl(uri, vetted);
  }

  private boolean allowlisted(InetAddress address) {
    return allowlist.stream().anyMatch(c -> c.contains(address));
  }

  /** The bare address, so nothing downstream can be tempted to resolve its name again. */
  private static InetAddress withoutName(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a resolved address has a valid length", e);
    }
  }
}
