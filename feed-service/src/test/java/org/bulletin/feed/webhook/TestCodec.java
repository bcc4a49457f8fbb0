package org.bulletin.feed.webhook;

import java.util.Map;
import org.bulletin.feed.secrets.SecretKeys;
import org.bulletin.feed.secrets.SecretSealer;

/** A subscription codec with a fixed test key. */
public final class TestCodec {
  private TestCodec() {}

  public static SubscriptionCodec create() {
    return new SubscriptionCodec(new SecretSealer(SecretKeys.of(Map.of("t", new byte[32]), "t")));
  }
}
