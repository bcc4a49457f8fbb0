package org.bulletin.feed.delivery;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * A channel's endpoints as the engine sees them (webhooks adapt their subscriptions, WebSub its
 * subscribers). Registered in {@link EndpointDirectories} under the channel its tasks name.
 *
 * <p>{@link #find} is called for every queue step on the context of the endpoint's dispatcher
 * shard, so it must be a cheap in-memory lookup, never blocking. Several shards (event loops) call
 * every method at the same time, each for its own endpoints: implementations are thread-safe. The
 * futures may complete on any thread.
 */
public interface EndpointDirectory {
  /** The endpoint as it is now, or empty when it is unknown (deleted, or not read yet). */
  Optional<Endpoint> find(String endpointId);

  /**
   * The endpoint failed for too long ({@code webhook.disable.after}) or the settings now refuse its
   * URL: stop delivering to it. Nothing should change when its URL is no longer {@code url}.
   */
  Future<Void> disable(String endpointId, String url, String reason);

  /** The endpoint answered 410 Gone at {@code url}. */
  Future<Void> gone(String endpointId, String url);

  /** How an operator re-enables a disabled endpoint, for the reason shown ("re-enable it (POST …)"). */
  default String howToReenable(String endpointId) {
    return "re-enable it";
  }

  /**
   * The task as it is attempted now: a channel whose tasks only reference their payload fills it
   * in here (body, Content-Type, headers), just before each attempt, so a retry sends what is
   * current then; the signer runs over the returned payload. Called on the shard's context;
   * must not block (the future may complete on any thread). A failure is a failed attempt that is
   * retried on the schedule, without counting against the endpoint; a {@link PayloadGoneException}
   * skips the task with its reason. The default returns the task as it is.
   */
  default Future<DeliveryTask> resolve(DeliveryTask task) {
    return Future.succeededFuture(task);
  }

  /** True once every endpoint that existed at start is known, so an unknown one really is unknown. */
  default boolean ready() {
    return true;
  }
}
