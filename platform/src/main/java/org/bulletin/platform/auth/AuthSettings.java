package org.bulletin.platform.auth;

import java.util.List;
import java.util.Map;
import org.bulletin.platform.config.Config;
import org.bulletin.platform.config.ConfigException;
import org.bulletin.platform.config.TopicSettings;

/**
 * Credentials of the APIs, shared by the producer and the feed service.
 *
 * @param adminTokens the {@code api.tokens}: admin credentials (secret, never printed)
 * @param credentials the compacted topic of partners and key digests both services read
 * @param ratePerSecond requests a second each credential may make on this instance (0: no limit)
 * @param rateBurst requests a credential may make at once
 * @param rateKeys credentials whose buckets are kept in memory
 */
public record AuthSettings(List<String> adminTokens, TopicSettings credentials, int ratePerSecond, int rateBurst,
    int rateKeys) {

  public static AuthSettings from(Config config) {
    List<String> tokens = config.list("api.tokens");
    if (tokens.isEmpty()) {
      throw new ConfigException("api.tokens (BULLETIN_API_TOKENS) must list at least one bearer token");
    }
    int partitions = config.integer("topics.partitions", 1, 1000);
    short rf = (short) config.integer("topics.replication.factor", 1, 32);
    // Compacted: the latest state of each partner and key is kept; revocations never expire.
    TopicSettings credentials = new TopicSettings(config.string("topics.credentials"), partitions, rf,
        Map.of("cleanup.policy", "compact"));
    return new AuthSettings(tokens, credentials,
        config.integer("api.rate.limit.per.second", 0, 1_000_000),
        config.integer("api.rate.limit.burst", 1, 1_000_000),
        config.integer("api.rate.limit.keys", 16, 10_000_000));
  }

  @Override
  public String toString() {
    return "AuthSettings[adminTokens=" + adminTokens.size() + " configured, credentials=" + credentials.name()
        + ", ratePerSecond=" + ratePerSecond + ", rateBurst=" + rateBurst + "]";
  }
}
