package org.bulletin.platform.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that alone owns one Kafka consumer, and supervises itself. Subclasses poll
 * in {@link #work()} while {@link #running()}, create their clients there (handing the consumer to
 * {@link #own} at once) and call {@link #progress()} after each poll.
 *
 * <p>When {@code work()} throws an exception, its clients are closed by it (try-with-resources)
 * and it is called again after a backoff (0.5 s doubling to 30 s, jittered); the subclass resumes
 * from committed offsets or from the state it kept. An {@link Error} (e.g. OutOfMemoryError) is
 * not recovered from: the thread ends {@link State#FAILED}, which {@link #health()} reports so
 * that the instance's liveness turns DOWN. {@link #close()} wakes the consumer and waits.
 */
public abstract class ConsumerThread implements AutoCloseable {
  private static final long MIN_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 30_000;

  /** Where the thread is in its life. */
  public enum State {
    STARTING, RUNNING, RECOVERING, STALLED, FAILED, STOPPED
  }

  /**
   * What health endpoints show of one thread.
   *
   * @param reason why it is not RUNNING (null when it is)
   * @param restarts how often {@code work()} was started again after a failure
   */
  public record Health(String name, State state, String reason, long restarts) {
    /** RUNNING, or starting within the bound (a reason says it is taking too long): nothing is wrong. */
    public boolean ok() {
      return state == State.RUNNING || (state == State.STARTING && reason == null);
    }

    /** Dead or stuck for good: only a restart of the instance helps. */
    public boolean dead() {
      return state == State.FAILED || state == State.STALLED;
    }
  }

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final AtomicLong restarts = new AtomicLong();
  private final Thread thread;
  private volatile Consumer<?, ?> consumer;
  private volatile State state = State.STARTING;
  private volatile String reason;
  private volatile long lastProgress = System.nanoTime();
  /** When the thread entered STARTING or, continuously, RECOVERING. */
  private volatile long stateSince = System.nanoTime();
  private volatile long backoffMs = MIN_BACKOFF_MS;
  private volatile Duration stallAfter = Duration.ofSeconds(120);

  protected ConsumerThread(String name) {
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    lastProgress = System.nanoTime();
    stateSince = lastProgress;
    thread.start();
  }

  public String name() {
    return thread.getName();
  }

  /**
   * A RUNNING thread that has not called {@link #progress()} for this long counts as STALLED; one
   * STARTING or RECOVERING this long says so in its reason (and a STARTING one is no longer ok).
   */
  public void stallAfter(Duration after) {
    this.stallAfter = after;
  }

  /**
   * The thread's work, on this thread: create the clients, poll until {@link #running()} is false.
   * Called again (with new clients) after it threw an exception.
   */
  protected abstract void work() throws Exception;

  protected final boolean running() {
    return running.get();
  }

  /** Registers the consumer this thread owns, so that {@link #close()} can wake it. */
  protected final <C extends Consumer<?, ?>> C own(C c) {
    consumer = c;
    if (!running.get()) {
      c.wakeup();
    }
    return c;
  }

  /** A poll went through: the thread is RUNNING, and the next failure starts with a short backoff. */
  protected final void progress() {
    lastProgress = System.nanoTime();
    if (state != State.RUNNING) {
      state = State.RUNNING;
      reason = null;
      backoffMs = MIN_BACKOFF_MS;
    }
  }

  /** Sleeps, but wakes at once when the thread is closed. */
  protected final void pause(long millis) throws InterruptedException {
    stopping.await(millis, TimeUnit.MILLISECONDS);
  }

  public long restarts() {
    return restarts.get();
  }

  public Health health() {
    State s = state;
    if (s == State.RUNNING && System.nanoTime() - lastProgress > stallAfter.toNanos()) {
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastProgress);
      return new Health(name(), State.STALLED, "no progress for " + seconds + " s", restarts.get());
    }
    long since = System.nanoTime() - stateSince;
    if ((s == State.STARTING || s == State.RECOVERING) && since > stallAfter.toNanos()) {
      // Not dead (a broker unreachable since the start looks the same), but not ready either.
      long seconds = TimeUnit.NANOSECONDS.toSeconds(since);
      String why = s == State.STARTING ? "still starting after " + seconds + " s: no poll has gone through yet"
          : "recovering for " + seconds + " s, last failure: " + reason;
      return new Health(name(), s, why, restarts.get());
    }
    return new Health(name(), s, reason, restarts.get());
  }

  private void loop() {
    while (running.get()) {
      try {
        work();
        if (running.get()) {
          throw new IllegalStateException("the work loop returned while running");
        }
      } catch (WakeupException | InterruptException | InterruptedException e) {
        if (!running.get()) {
          break;
        }
        recovering(e);
      } catch (Exception e) {
        if (!running.get()) {
          log.debug("{} failed while stopping", name(), e);
          break;
        }
        recovering(e);
      } catch (Error e) {
        // Not recoverable in this JVM (OutOfMemoryError, StackOverflowError, LinkageError):
        // report it, so that liveness turns DOWN and the instance is restarted.
        state = State.FAILED;
        reason = e.toString();
        log.error("{} died and is not restarted; /health/live reports DOWN", name(), e);
        return;
      }
      if (running.get()) {
        long wait = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        try {
          pause(wait);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    if (state != State.FAILED) {
      state = State.STOPPED;
      reason = "stopped";
    }
  }

  private void recovering(Exception e) {
    restarts.incrementAndGet();
    if (state != State.RECOVERING) {
      stateSince = System.nanoTime();
    }
    state = State.RECOVERING;
    reason = e.toString();
    log.warn("{} failed and starts again with new clients in about {} ms: {}", name(), backoffMs, e.toString(), e);
  }

  /**
   * Asks the loop to stop (wakes the consumer) and returns at once, so that several threads can
   * leave their groups at the same time; {@link #close()} then waits.
   */
  public void requestStop() {
    running.set(false);
    stopping.countDown();
    Consumer<?, ?> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Stops the loop and waits (at most 15 s) for the thread to end. */
  @Override
  public void close() {
    requestStop();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
