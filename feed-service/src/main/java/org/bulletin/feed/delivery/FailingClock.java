package org.bulletin.feed.delivery;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Since when each endpoint has been failing: the first failure after its last success (or
 * disabling, or re-enabling) at the same URL. Folded from attempt records of every instance and
 * every run (the attempts topic), in any order: it goes by the attempts' times, not by the order
 * they arrive in, so an old failure read late never starts the clock before a newer success. A
 * failure at another URL than the newest one seen is old news. Bounded: at most {@code maxEndpoints}
 * entries, the least recently touched going first (an endpoint forgotten starts its clock again, so
 * it is disabled later, never sooner). Thread-safe (event loops and the attempts tailer).
 */
public final class FailingClock {
  private final int maxEndpoints;
  private final LinkedHashMap<String, State> states = new LinkedHashMap<>(16, 0.75f, true);

  /** One endpoint at one URL; times in epoch ms, {@code NONE} when absent. */
  private static final class State {
    final String urlHash;
    long newest = NONE; // the newest attempt seen at this URL
    long cleared = NONE; // the last success, disabling or re-enabling
    long since = NONE; // the first failure after cleared
    long lastFailure = NONE;

    State(String urlHash) {
      this.urlHash = urlHash;
    }
  }

  private static final long NONE = Long.MIN_VALUE;

  public FailingClock(int maxEndpoints) {
    this.maxEndpoints = maxEndpoints;
  }

  /** Takes in an attempt record (another instance's, or an earlier run's). */
  public void fold(AttemptRecord a) {
    if (a.urlHash() == null || a.at() == null || a.outcome() == null) {
      return; // no request was made, or written before URLs were hashed
    }
    switch (a.outcome()) {
      case "delivered", "disabled" -> cleared(a.channel(), a.endpointId(), a.urlHash(), a.at());
      case "retrying", "failed" -> failed(a.channel(), a.endpointId(), a.urlHash(), a.at());
      default -> { } // skipped: no attempt was made
    }
  }

  /**
   * A failure at {@code at}: folded in, and since when the endpoint has been failing at this URL
   * ({@code at} itself when this starts it, or when a newer success or URL is known).
   */
  public synchronized Instant failed(String channel, String endpointId, String urlHash, Instant at) {
    long t = at.toEpochMilli();
    State s = state(channel, endpointId, urlHash, t);
    if (s == null || t <= s.cleared) {
      return at;
    }
    s.since = s.since == NONE ? t : Math.min(s.since, t);
    s.lastFailure = Math.max(s.lastFailure, t);
    return Instant.ofEpochMilli(s.since);
  }

  /** A success, a disabling or a re-enabling at {@code at}: failures up to then no longer count. */
  public synchronized void cleared(String channel, String endpointId, String urlHash, Instant at) {
    long t = at.toEpochMilli();
    State s = state(channel, endpointId, urlHash, t);
    if (s == null || t <= s.cleared) {
      return;
    }
    s.cleared = t;
    if (s.since != NONE && s.since <= t) {
      // Failures after it arrived first: the earliest of them is not known, the latest is (later, so
      // never sooner disabled).
      s.since = s.lastFailure > t ? s.lastFailure : NONE;
      s.lastFailure = s.since;
    }
  }

  /**
   * The endpoint was re-enabled by hand: it starts with a clean record, and failures from before
   * now (another instance's, read late) do not count.
   */
  public synchronized void reset(String channel, String endpointId, Instant now) {
    State s = states.get(key(channel, endpointId));
    if (s != null) {
      s.cleared = Math.max(s.cleared, now.toEpochMilli());
      s.since = NONE;
      s.lastFailure = NONE;
    }
  }

  /** The endpoint was deleted. */
  public synchronized void forget(String channel, String endpointId) {
    states.remove(key(channel, endpointId));
  }

  /** Since when the endpoint has been failing at this URL, or {@code null}. */
  public synchronized Instant since(String channel, String endpointId, String urlHash) {
    State s = states.get(key(channel, endpointId));
    return s == null || !s.urlHash.equals(urlHash) || s.since == NONE ? null : Instant.ofEpochMilli(s.since);
  }

  synchronized int size() {
    return states.size();
  }

  /** The state of the endpoint at this URL, or {@code null} when a newer URL is known. */
  private State state(String channel, String endpointId, String urlHash, long t) {
    String key = key(channel, endpointId);
    State s = states.get(key);
    if (s != null && !s.urlHash.equals(urlHash)) {
      if (t < s.newest) {
        return null; // an attempt at an older URL
      }
      s = null; // the URL changed: its clock starts again
    }
    if (s == null) {
      s = new State(urlHash);
      states.put(key, s);
      evict();
    }
    s.newest = Math.max(s.newest, t);
    return s;
  }

  private void evict() {
    Iterator<Map.Entry<String, State>> it = states.entrySet().iterator();
    while (states.size() > maxEndpoints && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private static String key(String channel, String endpointId) {
    return channel + '\u0000' + endpointId;
  }
}
