package org.bulletin.feed.delivery;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine's dispatcher, split into {@code webhook.dispatcher.shards} shards so that
 * attempts, signatures and outcomes of different endpoints run on several event loops at once.
 * Each shard is an {@link EndpointDispatcher} with state of its own (queues, held tasks, timers)
 * on a context of its own, a deployment of a small verticle. An endpoint (channel and id) always
 * goes to the same shard ({@link #shardOf}), so its order (ordered endpoints: one in flight), its
 * in-flight limit, pending bound and rate limit are kept exactly as with one dispatcher.
 *
 * <p>The worker sees one dispatcher: {@link #submit} from its consumer thread; {@link #dropQueued}
 * reaches every shard and sums; {@link #saturatedPartitions()} is the union and
 * {@link #retriesInMemory()} the sum. Shards start with {@link #start()}, before the worker.
 */
public final class DeliveryShards {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryShards.class);

  /**
   * Builds the dispatcher of shard {@code index}, which runs on {@code context}; called once per
   * shard, on the context {@link #start()} was called on.
   */
  @FunctionalInterface
  public interface Factory {
    EndpointDispatcher create(Context context, int index);
  }

  private final Vertx vertx;
  private final int count;
  private final Factory factory;
  private volatile List<EndpointDispatcher> shards = List.of();
  private volatile String deployment;
  private volatile boolean closed;

  public DeliveryShards(Vertx vertx, int count, Factory factory) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one shard, not " + count);
    }
    this.vertx = vertx;
    this.count = count;
    this.factory = factory;
  }

  /**
   * Deploys one verticle per shard (each gets an event-loop context of its own, the event loops
   * taken in turn) and builds the shards' dispatchers on them. Deployed from a verticle, they are
   * its children and undeployed with it. Completes on the caller's context.
   */
  public Future<Void> start() {
    AtomicReferenceArray<Context> contexts = new AtomicReferenceArray<>(count);
    AtomicInteger next = new AtomicInteger();
    return vertx.deployVerticle(() -> new ShardVerticle(contexts, next.getAndIncrement()),
            new DeploymentOptions().setInstances(count))
        .map(id -> {
          deployment = id;
          List<EndpointDispatcher> built = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            built.add(factory.create(contexts.get(i), i));
          }
          shards = List.copyOf(built);
          if (closed) {
            built.forEach(EndpointDispatcher::close);
          }
          LOG.info("Delivery dispatcher runs in {} shard(s)", count);
          return null;
        });
  }

  /** How many shards there are. */
  public int count() {
    return count;
  }

  /**
   * The shard of an endpoint: always the same for the same channel, id and shard count (a hash of
   * both, spread, modulo the count).
   */
  public static int shardOf(String channel, String endpointId, int count) {
    int h = channel.hashCode() * 31 + endpointId.hashCode();
    // murmur3's finalizer: similar ids (sub_1, sub_2) spread over the shards
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, count);
  }

  /** The shard a task's endpoint belongs to (once started). */
  EndpointDispatcher shardFor(DeliveryTask task) {
    List<EndpointDispatcher> all = started();
    return all.get(shardOf(task.channel(), task.endpointId(), all.size()));
  }

  /**
   * Hands a task to its endpoint's shard (on that shard's context). {@code done} runs on that
   * context once the task's outcome is durable, never for a task dropped by {@link #dropQueued}.
   * Any thread.
   */
  public void submit(DeliveryTask task, TopicPartition from, Runnable done) {
    EndpointDispatcher shard = shardFor(task);
    shard.context().runOnContext(v -> shard.submit(task, from, done));
  }

  /**
   * A context of the engine (the first shard's) for writes that belong to no endpoint, such as the
   * worker's dead letters of unreadable records.
   */
  public Context context() {
    return started().get(0).context();
  }

  /**
   * Drops the queued tasks of these partitions in every shard at once ({@link
   * EndpointDispatcher#dropQueued}). Called from the worker's consumer thread; it waits for the
   * shards (up to 10 s; 1 s once closed).
   *
   * @return how many tasks were dropped by the shards that answered in time: a lower bound
   */
  public int dropQueued(Collection<TopicPartition> partitions) {
    List<EndpointDispatcher> all = shards;
    Set<TopicPartition> set = Set.copyOf(partitions);
    List<CompletableFuture<Integer>> answers = new ArrayList<>(all.size());
    for (EndpointDispatcher shard : all) {
      answers.add(shard.dropLater(set));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(closed ? 1 : 10);
    int dropped = 0;
    for (CompletableFuture<Integer> answer : answers) {
      try {
        dropped += answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return dropped;
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("Dropping the queued tasks of {} in a dispatcher shard did not finish: {}", partitions, e.toString());
      }
    }
    return dropped;
  }

  /** Partitions some shard holds back for a full ordered endpoint: the union. Any thread. */
  public Set<TopicPartition> saturatedPartitions() {
    List<EndpointDispatcher> all = shards;
    if (all.size() == 1) {
      return all.get(0).saturatedPartitions();
    }
    Set<TopicPartition> union = null;
    for (EndpointDispatcher shard : all) {
      Set<TopicPartition> held = shard.saturatedPartitions();
      if (!held.isEmpty()) {
        if (union == null) {
          union = new HashSet<>();
        }
        union.addAll(held);
      }
    }
    return union == null ? Set.of() : union;
  }

  /** Retries held in memory between attempts, in all shards. Any thread. */
  public int retriesInMemory() {
    int sum = 0;
    for (EndpointDispatcher shard : shards) {
      sum += shard.retriesInMemory();
    }
    return sum;
  }

  /**
   * Stops every shard starting attempts and retrying (unfinished tasks are read again after a
   * restart), then undeploys the shards' verticles if they are still deployed. Any thread.
   */
  public void close() {
    closed = true;
    shards.forEach(EndpointDispatcher::close);
    String id = deployment;
    if (id != null && vertx.deploymentIDs().contains(id)) {
      vertx.undeploy(id).onFailure(e -> LOG.debug("Undeploying the dispatcher shards: {}", e.toString()));
    }
  }

  private List<EndpointDispatcher> started() {
    List<EndpointDispatcher> all = shards;
    if (all.isEmpty()) {
      throw new IllegalStateException("the dispatcher shards are not started");
    }
    return all;
  }

  /**
   * Holds an event-loop context for one shard; nothing else. Undeployed (with the verticle that
   * deployed it) the shard stops starting attempts, as {@link #close()} does.
   */
  private final class ShardVerticle extends VerticleBase {
    private final AtomicReferenceArray<Context> contexts;
    private final int index;

    ShardVerticle(AtomicReferenceArray<Context> contexts, int index) {
      this.contexts = contexts;
      this.index = index;
    }

    @Override
    public Future<?> start() {
      contexts.set(index, context);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      List<EndpointDispatcher> all = shards;
      if (index < all.size()) {
        all.get(index).close();
      }
      return Future.succeededFuture();
    }
  }
}
