package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A channel's endpoints in a map; records what the engine asked of it. Thread-safe. */
final class MapDirectory implements EndpointDirectory {
  final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  /** What {@link #resolve} answers; the task itself unless a test sets it. */
  volatile java.util.function.Function<DeliveryTask, Future<DeliveryTask>> resolver = Future::succeededFuture;

  static Endpoint endpoint(String id, String url, boolean ordered) {
    return new Endpoint(id, url, true, null, ordered, 0, Signer.NONE);
  }

  MapDirectory put(Endpoint e) {
    endpoints.put(e.id(), e);
    return this;
  }

  void remove(String id) {
    endpoints.remove(id);
  }

  @Override
  public Optional<Endpoint> find(String endpointId) {
    return Optional.ofNullable(endpoints.get(endpointId));
  }

  @Override
  public Future<Void> disable(String endpointId, String url, String reason) {
    calls.add("disable " + endpointId + " " + url + ": " + reason);
    endpoints.computeIfPresent(endpointId, (k, e) -> e.url().equals(url)
        ? new Endpoint(e.id(), e.url(), false, reason, e.ordered(), e.rateLimit(), e.signer()) : e);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> gone(String endpointId, String url) {
    calls.add("gone " + endpointId + " " + url);
    return Future.succeededFuture();
  }

  @Override
  public Future<DeliveryTask> resolve(DeliveryTask task) {
    calls.add("resolve " + task.messageId() + " attempt " + task.attempt());
    return resolver.apply(task);
  }

  @Override
  public String howToReenable(String endpointId) {
    return "re-enable it (POST /v1/subscriptions/" + endpointId + "/enable)";
  }
}
