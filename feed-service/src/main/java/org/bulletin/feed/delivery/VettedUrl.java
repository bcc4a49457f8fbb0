package org.bulletin.feed.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A webhook URL whose host was resolved once and every address checked: connect only to one of
 * {@link #addresses()}, never resolve the host again (that would let DNS rebinding swap the
 * address after the check).
 *
 * @param addresses the vetted addresses, without host names attached, in resolver order
 */
public record VettedUrl(URI uri, List<InetAddress> addresses) {
  public VettedUrl {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no vetted address");
    }
  }

  /** The address for the n-th attempt (1-based): later attempts rotate through the others. */
  public InetAddress addressFor(int attempt) {
    return addresses.get(Math.floorMod(attempt - 1, addresses.size()));
  }

  public int port() {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
