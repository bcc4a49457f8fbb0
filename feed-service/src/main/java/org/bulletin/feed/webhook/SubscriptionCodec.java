package org.bulletin.feed.webhook;

import java.util.List;
import org.bulletin.feed.delivery.DeliveryJson;
import org.bulletin.feed.secrets.SecretSealer;

/**
 * Subscription records of the subscriptions topic: JSON whose signing secrets are sealed
 * ({@link SecretSealer}); in memory they are clear. Thread-safe.
 */
public final class SubscriptionCodec {
  /**
   * A record read: the subscription, whether its secrets should be sealed again (clear or an old
   * key), and the secrets the record held in clear text.
   */
  public record Decoded(Subscription subscription, boolean stale, List<String> storedInClear) {}

  private final SecretSealer sealer;

  public SubscriptionCodec(SecretSealer sealer) {
    this.sealer = sealer;
  }

  public byte[] encode(Subscription s) {
    return DeliveryJson.write(withSecrets(s, s.secrets().stream()
        .map(x -> new Subscription.SigningSecret(sealer.seal(x.secret(), s.id()), x.expiresAt())).toList()));
  }

  /** @throws org.bulletin.feed.secrets.SecretUnreadableException when a secret does not open */
  public Decoded decode(String id, byte[] value) {
    Subscription stored = DeliveryJson.read(value, Subscription.class);
    if (!stored.id().equals(id)) {
      throw new IllegalArgumentException("subscription record " + id + " holds " + stored.id());
    }
    boolean stale = stored.secrets().stream().anyMatch(x -> !sealer.sealedWithActiveKey(x.secret()));
    List<String> inClear = stored.secrets().stream().map(Subscription.SigningSecret::secret).filter(sealer::clear)
        .toList();
    return new Decoded(withSecrets(stored, stored.secrets().stream()
        .map(x -> new Subscription.SigningSecret(sealer.open(x.secret(), id), x.expiresAt())).toList()), stale,
        inClear);
  }

  private static Subscription withSecrets(Subscription s, List<Subscription.SigningSecret> secrets) {
    return new Subscription(s.id(), s.partnerId(), s.url(), s.description(), s.filters(), s.enabled(), s.rateLimit(),
        s.ordered(), secrets, s.disabledReason(), s.createdAt(), s.updatedAt());
  }
}
