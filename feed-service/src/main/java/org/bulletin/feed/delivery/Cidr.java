package org.bulletin.feed.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A network such as {@code 10.0.0.0/8} or {@code 2002::/16}; an address matches only its own family. */
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
    return contains(a.getAddress());
  }

  boolean contains(byte[] b) {
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
