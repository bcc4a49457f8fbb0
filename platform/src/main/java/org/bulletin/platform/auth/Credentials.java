package org.bulletin.platform.auth;

import java.util.Set;
import org.bulletin.platform.config.KafkaSettings;
import org.bulletin.platform.kafka.ConsumerThread;
import org.bulletin.platform.kafka.TopicTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's view of the credentials: the store, the thread that keeps it current from the
 * credentials topic, and the rate limiter, shared by every auth handler of the service.
 */
public final class Credentials implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

  private final AuthSettings settings;
  private final CredentialStore store = new CredentialStore();
  private final TopicTailer tailer;
  private final RateLimiter limiter;

  public Credentials(KafkaSettings kafka, AuthSettings settings) {
    this.settings = settings;
    this.tailer = new TopicTailer(kafka, settings.credentials().name(), r -> {
      try {
        store.apply(r.key(), r.value());
      } catch (RuntimeException e) {
        // The record's content is not logged: it could be anything someone wrote to the topic.
        LOG.warn("Skipping unreadable credential record {}/{}", r.partition(), r.offset());
      }
    });
    store.loadedWhen(tailer::isCaughtUp);
    this.limiter = new RateLimiter(settings.ratePerSecond(), settings.rateBurst(), settings.rateKeys());
  }

  /** Starts reading the topic; call once it exists. */
  public void start() {
    tailer.start();
  }

  public CredentialStore store() {
    return store;
  }

  public boolean isLoaded() {
    return tailer.isCaughtUp();
  }

  public ConsumerThread thread() {
    return tailer;
  }

  /** The per-credential rate limiter the API handlers share (the portal takes from it per partner). */
  public RateLimiter limiter() {
    return limiter;
  }

  public AuthSettings settings() {
    return settings;
  }

  /** An auth handler admitting only {@code allowed} kinds (others: 403). */
  public ApiAuthHandler handler(Set<Principal.Kind> allowed) {
    return new ApiAuthHandler(settings.adminTokens(), store, limiter, allowed, () -> tailer.health().ok());
  }

  @Override
  public void close() {
    tailer.close();
  }
}
