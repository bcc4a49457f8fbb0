package org.bulletin.feed.websub;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bulletin.feed.delivery.AttemptRecord;

/**
 * What the delivery engine did for each WebSub subscription, for the admins' listing: attempts
 * by outcome and the last one. One small entry per subscription the hub holds (entries of removed
 * subscriptions are dropped), so it is bounded by {@code websub.subscriptions.max}. Written by the
 * attempts tailer (other instances' attempts) and by the event loop that got this instance's
 * attempts acknowledged; read by event loops.
 */
public final class HubAttempts {
  private final Map<String, Summary> byKey = new ConcurrentHashMap<>();
  private final HubSubscriptions store;

  public HubAttempts(HubSubscriptions store) {
    this.store = store;
  }

  /** One summary per subscription; replaced whole, never changed in place. */
  record Summary(long delivered, long retrying, long failed, long other, AttemptRecord last) {
    Summary plus(AttemptRecord a) {
      String o = a.outcome() == null ? "" : a.outcome();
      return new Summary(delivered + (o.equals("delivered") ? 1 : 0), retrying + (o.equals("retrying") ? 1 : 0),
          failed + (o.equals("failed") ? 1 : 0),
          other + (o.equals("delivered") || o.equals("retrying") || o.equals("failed") ? 0 : 1), a);
    }
  }

  /** An attempt record of any channel; only WebSub ones of subscriptions held are kept. */
  public void add(AttemptRecord a) {
    if (!WebSubEndpoints.CHANNEL.equals(a.channel()) || store.get(a.endpointId()).isEmpty()) {
      return;
    }
    byKey.merge(a.endpointId(), new Summary(0, 0, 0, 0, null).plus(a), (old, one) -> old.plus(a));
  }

  /** Forgets a removed subscription. */
  public void removed(String key) {
    byKey.remove(key);
  }

  /** The summary as JSON, or an empty one. */
  public JsonObject json(String key) {
    Summary s = byKey.get(key);
    JsonObject out = new JsonObject().put("delivered", s == null ? 0 : s.delivered())
        .put("retrying", s == null ? 0 : s.retrying()).put("failed", s == null ? 0 : s.failed())
        .put("other", s == null ? 0 : s.other());
    if (s != null && s.last() != null) {
      AttemptRecord a = s.last();
      out.put("last", new JsonObject().put("at", String.valueOf(a.at())).put("attempt", a.attempt())
          .put("status", a.status()).put("outcome", a.outcome()).put("error", a.error())
          .put("latencyMs", a.latencyMs()));
    }
    return out;
  }
}
