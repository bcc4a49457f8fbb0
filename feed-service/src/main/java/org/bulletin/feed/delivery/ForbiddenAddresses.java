package org.bulletin.feed.delivery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;

/**
 * The special-purpose address ranges a webhook may not reach (after the IANA IPv4 and IPv6
 * special-purpose registries, plus known cloud-metadata addresses). IPv6 transition forms that
 * carry an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible, IPv4-translated) are refused as
 * such, and their embedded IPv4 address is named, since on many networks they reach it. Stateless.
 */
final class ForbiddenAddresses {
  /** A range, why it is refused, and where its embedded IPv4 address is (or {@code null}). */
  private record Range(Cidr cidr, String why, Function<byte[], byte[]> embedded) {}

  private static final List<Range> RANGES = List.of(
      // IPv4 (IPv4-mapped IPv6 addresses arrive here as Inet4Address already).
      range("169.254.169.254/32", "cloud-metadata"),
      range("168.63.129.16/32", "cloud-metadata (Azure host)"),
      range("0.0.0.0/8", "unspecified (this network)"),
      range("10.0.0.0/8", "private"),
      range("100.64.0.0/10", "carrier-grade NAT"),
      range("127.0.0.0/8", "loopback"),
      range("169.254.0.0/16", "link-local"),
      range("172.16.0.0/12", "private"),
      range("192.0.0.0/24", "reserved (IETF protocol assignments)"),
      range("192.0.2.0/24", "documentation"),
      range("192.88.99.0/24", "reserved (6to4 relay anycast)"),
      range("192.168.0.0/16", "private"),
      range("198.18.0.0/15", "benchmarking"),
      range("198.51.100.0/24", "documentation"),
      range("203.0.113.0/24", "documentation"),
      range("224.0.0.0/4", "multicast"),
      range("240.0.0.0/4", "reserved"),
      // IPv6
      range("::/128", "unspecified"),
      range("::1/128", "loopback"),
      embedding("::ffff:0:0:0/96", "IPv4-translated IPv6", b -> slice(b, 12)),
      embedding("64:ff9b::/96", "NAT64", b -> slice(b, 12)),
      embedding("64:ff9b:1::/48", "NAT64 (local use)", b -> slice(b, 12)),
      embedding("::/96", "IPv4-compatible IPv6 (deprecated)", b -> slice(b, 12)),
      range("100::/64", "discard-only"),
      embedding("2001::/32", "Teredo", ForbiddenAddresses::teredoClient),
      range("2001:2::/48", "benchmarking"),
      range("2001:db8::/32", "documentation"),
      range("3fff::/20", "documentation"),
      embedding("2002::/16", "6to4", b -> slice(b, 2)),
      range("fd00:ec2::254/128", "cloud-metadata"),
      range("fc00::/7", "private (unique local)"),
      range("fe80::/10", "link-local"),
      range("fec0::/10", "site-local (deprecated)"),
      range("ff00::/8", "multicast"));

  private ForbiddenAddresses() {}

  /**
   * Why {@code address} may not be reached, or {@code null} if it is a public address. For the
   * IPv4-embedding forms, {@code allowed} decides about the embedded address: such a form is
   * refused unless it is allowed itself and its embedded IPv4 address is public or allowed.
   */
  static String why(InetAddress address, java.util.function.Predicate<InetAddress> allowed) {
    byte[] b = address.getAddress();
    for (Range r : RANGES) {
      if (!r.cidr().contains(b)) {
        continue;
      }
      if (r.embedded() == null) {
        return allowed.test(address) ? null : r.why();
      }
      InetAddress inner = v4(r.embedded().apply(b));
      String innerWhy = why(inner, allowed);
      if (innerWhy != null) {
        return r.why() + " embedding " + inner.getHostAddress() + ", a " + innerWhy;
      }
      return allowed.test(address) ? null : r.why() + " (embedding " + inner.getHostAddress() + ")";
    }
    return null;
  }

  private static Range range(String cidr, String why) {
    return new Range(Cidr.parse(cidr), why, null);
  }

  private static Range embedding(String cidr, String why, Function<byte[], byte[]> embedded) {
    return new Range(Cidr.parse(cidr), why, embedded);
  }

  private static byte[] slice(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }

  /** Teredo keeps the client's public IPv4 address inverted in the last 32 bits (RFC 4380). */
  private static byte[] teredoClient(byte[] b) {
    return new byte[] {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
  }

  private static InetAddress v4(byte[] b) {
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
