package org.bulletin.feed.webhook;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bulletin.feed.delivery.RecordSender;
import org.bulletin.feed.delivery.StandardWebhooksSigner;

/**
 * Changes subscriptions: each change is written to the compacted subscriptions topic (the only
 * store) and, once Kafka acknowledged it, applied to this instance's store so a reader sees its
 * own write. Other instances see it when they read the topic.
 */
public final class SubscriptionService {
  private final SubscriptionStore store;
  private final RecordSender producer;
  private final WebhookSettings settings;
  private final Clock clock;
  private final SubscriptionCodec codec;
  private final SecureRandom random = new SecureRandom();
  /** Ids of subscriptions whose record in the topic is clear text or sealed with an older key. */
  private final java.util.Set<String> stale = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Ids of subscriptions whose secrets do not open (their key is not configured): health says so. */
  private final java.util.Set<String> unreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();
  // Secrets this instance read in clear from the topic, per subscription (gone with its tombstone).
  private final java.util.Map<String, java.util.Set<String>> seenInClear = new java.util.concurrent.ConcurrentHashMap<>();

  public SubscriptionService(SubscriptionStore store, RecordSender producer, WebhookSettings settings,
      SubscriptionCodec codec, Clock clock) {
    this.store = store;
    this.codec = codec;
    this.producer = producer;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * A new subscription with a fresh id and signing secret.
   *
   * @param partnerId its owner, or {@code null} for none (visible to admins only)
   */
  public Future<Subscription> create(String partnerId, String url, String description, Subscription.Filters filters, boolean enabled,
      Integer rateLimit, boolean ordered) {
    Instant now = clock.instant();
    String id = "sub_" + HexFormat.of().formatHex(randomBytes(12));
    Subscription s = new Subscription(id, partnerId, url, description, filters, enabled, rateLimit, ordered,
        List.of(new Subscription.SigningSecret(StandardWebhooksSigner.newSecret(), null)), null, now, now);
    return save(s);
  }

  public Future<Subscription> update(Subscription current, String url, String description,
      Subscription.Filters filters, boolean enabled, Integer rateLimit, boolean ordered) {
    Instant now = clock.instant();
    return save(new Subscription(current.id(), current.partnerId(), url, description, filters, enabled, rateLimit, ordered,
        current.secrets(), enabled ? null : current.disabledReason(), current.createdAt(), now));
  }

  /** A new current secret; the old one keeps signing until the grace period ends. */
  public Future<Subscription> rotateSecret(Subscription current) {
    Instant now = clock.instant();
    List<Subscription.SigningSecret> secrets = new ArrayList<>();
    secrets.add(new Subscription.SigningSecret(StandardWebhooksSigner.newSecret(), null));
    for (Subscription.SigningSecret old : current.secrets()) {
      Instant expires = old.expiresAt() == null ? now.plus(settings.secretGrace()) : old.expiresAt();
      if (expires.isAfter(now)) {
        secrets.add(new Subscription.SigningSecret(old.secret(), expires));
      }
    }
    return save(new Subscription(current.id(), current.partnerId(), current.url(), current.description(), current.filters(),
        current.enabled(), current.rateLimit(), current.ordered(), secrets, current.disabledReason(),
        current.createdAt(), now));
  }

  public Future<Subscription> setEnabled(Subscription current, boolean enabled, String reason) {
    return save(current.withState(enabled, enabled ? null : reason, clock.instant()));
  }

  /** The latest copy this instance knows. */
  public Optional<Subscription> current(String id) {
    return store.get(id);
  }

  /**
   * Disables an endpoint after failed attempts, from the latest copy in the store, so a concurrent
   * change (rotation, new filters) is kept. Nothing changes when the endpoint is gone, already
   * disabled, or its URL is no longer the one that failed: the new URL gets its own chance.
   *
   * @return the disabled subscription, or empty when nothing changed
   */
  public Future<Optional<Subscription>> disableAfterFailures(String id, String failedUrl, String reason) {
    Subscription latest = store.get(id).orElse(null);
    if (latest == null || !latest.enabled() || !latest.url().equals(failedUrl)) {
      return Future.succeededFuture(Optional.empty());
    }
    return save(latest.withState(false, reason, clock.instant())).map(Optional::of);
  }

  public Future<Void> delete(String id) {
    return producer.send(settings.subscriptions().name(), id, null).map(m -> {
      store.apply(id, null);
      store.wrote(m.partition(), m.offset());
      return null;
    });
  }

  /**
   * Applies a record read from the topic (the subscriptions tailer's thread): its secrets opened;
   * {@code null} for a tombstone.
   */
  public void applyRecord(String id, byte[] value) {
    if (value == null) {
      seenInClear.remove(id);
      stale.remove(id);
      unreadable.remove(id);
      store.apply(id, null);
      return;
    }
    SubscriptionCodec.Decoded d;
    try {
      d = codec.decode(id, value);
    } catch (org.bulletin.feed.secrets.SecretUnreadableException e) {
      unreadable.add(id);
      throw e;
    }
    unreadable.remove(id);
    if (!d.storedInClear().isEmpty()) {
      seenInClear.computeIfAbsent(id, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).addAll(d.storedInClear());
    }
    if (d.stale()) {
      stale.add(id);
    } else {
      stale.remove(id);
    }
    store.apply(id, d.subscription());
  }

  /**
   * Writes again, sealed with the active key, every subscription whose record is clear text or
   * sealed with an older key (after a key rotation). Idempotent: any instance may run it.
   *
   * @return how many were rewritten
   */
  public Future<Integer> resealStale() {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String id : List.copyOf(stale)) {
      chain = chain.compose(n -> store.get(id).map(s -> save(s).map(x -> n + 1)).orElse(Future.succeededFuture(n)));
    }
    return chain;
  }

  /**
   * Subscriptions whose current signing secret was once stored in clear text in the topic (as this
   * instance read it), sorted: resealing does not unsay it, as older records stay on the brokers until
   * compaction removes them, so these secrets should be rotated. A subscription leaves the list once
   * every secret it still signs with is a new one.
   */
  public List<String> exposedInClear() {
    java.time.Instant now = clock.instant();
    return seenInClear.entrySet().stream()
        .filter(e -> store.get(e.getKey()).map(s -> s.activeSecrets(now).stream().anyMatch(e.getValue()::contains))
            .orElse(false))
        .map(java.util.Map.Entry::getKey).sorted().toList();
  }

  /** Subscriptions whose latest record's secrets could not be opened (a key missing from secrets.keys). */
  public int unreadableCount() {
    return unreadable.size();
  }

  /** Subscriptions whose record awaits {@link #resealStale()}. */
  public int staleCount() {
    return stale.size();
  }

  private Future<Subscription> save(Subscription s) {
    return producer.send(settings.subscriptions().name(), s.id(), codec.encode(s)).map(m -> {
      stale.remove(s.id());
      store.apply(s.id(), s);
      store.wrote(m.partition(), m.offset());
      return s;
    });
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
