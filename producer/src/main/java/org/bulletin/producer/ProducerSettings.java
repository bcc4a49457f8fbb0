package org.bulletin.producer;

import java.util.List;
import org.bulletin.platform.auth.AuthSettings;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.KafkaSettings;

/**
 * The producer's settings, parsed and checked once at start.
 *
 * @param apiTokens bearer tokens for the ingest API (secret: never printed)
 * @param indexBarrierTimeoutMs how long a PUT/DELETE of a report this instance does not know waits
 *     for its report index to catch up with the topic before answering 503 (never a stale 404)
 * @param indexBarrierQueue how many such waits may queue for an end-offset lookup
 * @param feedBaseUrl public base URL of the feed service, for Location headers
 * @param auth admin tokens, the credentials topic (publisher keys) and rate limits
 */
public record ProducerSettings(
    String host,
    int port,
    int bodyLimitBytes,
    List<String> apiTokens,
    String eventSource,
    int sendThreads,
    int sendQueue,
    long sendTimeoutMs,
    long indexBarrierTimeoutMs,
    int indexBarrierQueue,
    String feedBaseUrl,
    KafkaSettings kafka,
    AuthSettings auth) {

  public static ProducerSettings from(Config config) {
    List<String> tokens = config.list("api.tokens");
    if (tokens.isEmpty()) {
      throw new ConfigException("api.tokens (BULLETIN_API_TOKENS) must list at least one bearer token");
    }
    return new ProducerSettings(
        config.string("producer.http.host"),
        config.integer("producer.http.port", 0, 65535),
        config.integer("producer.body.limit.bytes", 1024, 64 * 1024 * 1024),
        tokens,
        config.string("producer.event.source"),
        config.integer("producer.send.threads", 1, 256),
        config.integer("producer.send.queue", 1, 100_000),
        config.longValue("producer.send.timeout.ms", 500, 600_000),
        config.longValue("producer.index.barrier.timeout.ms", 100, 600_000),
        config.integer("producer.index.barrier.queue", 1, 100_000),
        config.string("feed.base.url").replaceAll("/+$", ""),
        KafkaSettings.from(config),
        AuthSettings.from(config));
  }

  @Override
  public String toString() {
    return "ProducerSettings[host=" + host + ", port=" + port + ", bodyLimitBytes=" + bodyLimitBytes
        + ", apiTokens=" + apiTokens.size() + " configured, eventSource=" + eventSource
        + ", kafka=" + kafka.bootstrapServers() + "]";
  }
}
