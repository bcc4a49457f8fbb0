package org.bulletin.feed.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory of each channel ({@code "webhook"}, {@code "websub"}), looked up by a task's
 * {@link DeliveryTask#channel()}. Register before the delivery worker starts. Thread-safe.
 */
public final class EndpointDirectories {
  private final Map<String, EndpointDirectory> byChannel = new ConcurrentHashMap<>();

  public EndpointDirectories register(String channel, EndpointDirectory directory) {
    if (byChannel.putIfAbsent(channel, directory) != null) {
      throw new IllegalStateException("a directory is registered for channel " + channel + " already");
    }
    return this;
  }

  public Optional<EndpointDirectory> of(String channel) {
    return Optional.ofNullable(byChannel.get(channel));
  }

  /** The endpoint of a task, or empty when its channel or endpoint is unknown. */
  public Optional<Endpoint> find(String channel, String endpointId) {
    EndpointDirectory d = byChannel.get(channel);
    return d == null ? Optional.empty() : d.find(endpointId);
  }

  /** True when every registered directory has loaded what existed at start. */
  public boolean ready() {
    return byChannel.values().stream().allMatch(EndpointDirectory::ready);
  }
}
