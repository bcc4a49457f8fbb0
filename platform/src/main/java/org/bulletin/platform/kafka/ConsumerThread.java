package org.bulletin.platform.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that alone owns one {@link KafkaConsumer}. Subclasses do their polling in
 * {@link #work()} while {@link #running()}, handing the consumer to {@link #own} as soon as it
 * exists; {@link #close()} wakes the consumer and waits for the thread to end.
 */
public abstract class ConsumerThread implements AutoCloseable {
  private final Logger log = LoggerFactory.getLogger(getClass());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile KafkaConsumer<?, ?> consumer;

  protected ConsumerThread(String name) {
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** The thread's work; runs once, on this thread. */
  protected abstract void work() throws InterruptedException;

  protected final boolean running() {
    return running.get();
  }

  /** Registers the consumer this thread owns, so that {@link #close()} can wake it. */
  protected final <C extends KafkaConsumer<?, ?>> C own(C c) {
    consumer = c;
    if (!running.get()) {
      c.wakeup();
    }
    return c;
  }

  private void loop() {
    try {
      work();
    } catch (WakeupException e) {
      if (running.get()) {
        log.error("{} was woken up unexpectedly and stopped", thread.getName(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("{} stopped", thread.getName(), e);
    }
  }

  /** Stops the loop and waits (at most 15 s) for the thread to end. */
  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<?, ?> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
