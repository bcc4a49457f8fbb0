package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptWriterTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Holds every send until released; records what was sent. Thread-safe. */
  static final class HeldSender implements RecordSender {
    record Sent(byte[] value, List<Header> headers, Promise<RecordMetadata> ack) {}

    final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Future<RecordMetadata> send(String topic, String key, byte[] value) {
      throw new AssertionError("attempts are sent with headers");
    }

    @Override
    public Future<RecordMetadata> send(String topic, String key, byte[] value, List<Header> headers) {
      Promise<RecordMetadata> ack = Promise.promise();
      sent.add(new Sent(value, headers, ack));
      return ack.future();
    }

    List<AttemptRecord> attempts(int i) {
      Sent s = sent.get(i);
      return AttemptBatch.read(new RecordHeaders(s.headers()), s.value());
    }

    void ack(int i) {
      sent.get(i).ack().complete(new RecordMetadata(new TopicPartition("a", 0), 0, i, 0, 0, 0));
    }
  }

  static AttemptRecord attempt(String channel, String endpoint, int n, String snippet) {
    return new AttemptRecord(channel, endpoint, "msg_" + n, Map.of(), 1, Instant.parse("2026-01-01T00:00:00Z"), 200,
        1, snippet, null, "delivered", null, 0, n, UrlHash.of("https://a.example/" + endpoint));
  }

  @Test
  void aLoneAttemptIsSentAtOnceAndItsFutureWaitsForTheAcknowledgement() {
    HeldSender sender = new HeldSender();
    AttemptWriter writer = new AttemptWriter(sender, "attempts", 100, 100_000, 1000);

    Future<Void> f = writer.write(attempt("webhook", "sub_1", 1, ""));

    assertThat(sender.sent).hasSize(1);
    assertThat(f.isComplete()).as("not durable before Kafka acknowledged").isFalse();
    sender.ack(0);
    assertThat(f.succeeded()).isTrue();
  }

  @Test
  void attemptsWrittenWhileABatchIsInFlightGoTogetherBoundedByCountAndBytes() {
    HeldSender sender = new HeldSender();
    AttemptWriter writer = new AttemptWriter(sender, "attempts", 3, 100_000, 1000);
    List<Future<Void>> futures = new ArrayList<>();
    futures.add(writer.write(attempt("webhook", "sub_1", 0, "")));
    for (int i = 1; i <= 5; i++) {
      futures.add(writer.write(attempt(i % 2 == 0 ? "webhook" : "websub", "sub_1", i, "")));
    }
    assertThat(sender.sent).as("one in flight at a time").hasSize(1);

    sender.ack(0);
    assertThat(sender.sent).hasSize(2);
    assertThat(sender.attempts(1)).extracting(AttemptRecord::sourceOffset).containsExactly(1L, 2L, 3L);
    assertThat(futures.get(0).succeeded()).isTrue();
    assertThat(futures.get(1).isComplete()).isFalse();
    sender.ack(1);
    assertThat(futures.subList(1, 4)).allMatch(Future::succeeded);
    assertThat(futures.get(4).isComplete()).isFalse();
    assertThat(sender.attempts(2)).extracting(AttemptRecord::sourceOffset).containsExactly(4L, 5L);

    // A byte bound: two attempts of 600 bytes do not share a batch of at most 1 KiB.
    AttemptWriter small = new AttemptWriter(sender, "attempts", 100, 1024, 1000);
    small.write(attempt("webhook", "sub_2", 10, ""));
    small.write(attempt("webhook", "sub_2", 11, "x".repeat(600)));
    small.write(attempt("webhook", "sub_2", 12, "y".repeat(600)));
    sender.ack(3);
    assertThat(sender.attempts(4)).extracting(AttemptRecord::sourceOffset).containsExactly(11L);
  }

  @Test
  void aBatchSaysItsInstanceAndChannelsInHeaders() {
    HeldSender sender = new HeldSender();
    AttemptWriter writer = new AttemptWriter(sender, "attempts", 100, 100_000, 1000);
    writer.write(attempt("webhook", "sub_1", 0, ""));
    writer.write(attempt("websub", "ws_1", 1, ""));
    writer.write(attempt("webhook", "sub_1", 2, ""));
    sender.ack(0);

    RecordHeaders headers = new RecordHeaders(sender.sent.get(1).headers());
    assertThat(AttemptBatch.instance(headers)).isEqualTo(writer.instance());
    assertThat(AttemptBatch.mayHold(headers, "websub")).isTrue();
    assertThat(AttemptBatch.mayHold(headers, "webhook")).isTrue();
    assertThat(AttemptBatch.mayHold(new RecordHeaders(sender.sent.get(0).headers()), "websub")).isFalse();
  }

  @Test
  void aFailedBatchFailsEveryAttemptInItAndNoneReachesTheViews() {
    HeldSender sender = new HeldSender();
    AttemptWriter writer = new AttemptWriter(sender, "attempts", 100, 100_000, 1000);
    List<AttemptRecord> durable = Collections.synchronizedList(new ArrayList<>());
    writer.onDurable(durable::add);
    Future<Void> first = writer.write(attempt("webhook", "sub_1", 0, ""));
    Future<Void> second = writer.write(attempt("webhook", "sub_1", 1, ""));
    Future<Void> third = writer.write(attempt("webhook", "sub_1", 2, ""));
    sender.ack(0);
    sender.sent.get(1).ack().fail(new org.apache.kafka.common.errors.TimeoutException("broker away"));

    assertThat(first.succeeded()).isTrue();
    assertThat(second.failed()).isTrue();
    assertThat(third.failed()).isTrue();
    assertThat(durable).extracting(AttemptRecord::sourceOffset).containsExactly(0L);
  }

  @Test
  void tooManyWaitingFailsTheWriteRatherThanQueueWithoutBound() {
    HeldSender sender = new HeldSender();
    AttemptWriter writer = new AttemptWriter(sender, "attempts", 100, 100_000, 2);
    writer.write(attempt("webhook", "sub_1", 0, "")); // in flight
    writer.write(attempt("webhook", "sub_1", 1, ""));
    writer.write(attempt("webhook", "sub_1", 2, ""));
    assertThat(writer.write(attempt("webhook", "sub_1", 3, "")).failed()).isTrue();
    sender.ack(0);
    assertThat(writer.write(attempt("webhook", "sub_1", 4, "")).failed()).as("room again").isFalse();
  }

  @Test
  void writersOnManyEventLoopsAtOnceAreEachCompletedOnTheirOwnContextOnceDurable() throws Exception {
    HeldSender sender = new HeldSender();
    AttemptWriter writer = new AttemptWriter(sender, "attempts", 50, 100_000, 100_000);
    List<AttemptRecord> durable = Collections.synchronizedList(new ArrayList<>());
    writer.onDurable(durable::add);
    int loops = 4;
    int each = 500;
    CountDownLatch done = new CountDownLatch(loops * each);
    List<String> wrongContext = Collections.synchronizedList(new ArrayList<>());
    for (int l = 0; l < loops; l++) {
      Context context = vertx.getOrCreateContext();
      int loop = l;
      context.runOnContext(v -> {
        for (int i = 0; i < each; i++) {
          writer.write(attempt("webhook", "sub_" + loop, loop * each + i, "")).onComplete(ar -> {
            if (Vertx.currentContext() != context || ar.failed()) {
              wrongContext.add(loop + " " + ar);
            }
            done.countDown();
          });
        }
      });
    }
    // Kafka acknowledges each batch from its own thread, as the producer's I/O thread would.
    Thread acker = new Thread(() -> {
      int acked = 0;
      while (done.getCount() > 0) {
        if (sender.sent.size() > acked) {
          Promise<RecordMetadata> ack = sender.sent.get(acked).ack();
          Context c = vertx.getOrCreateContext();
          c.runOnContext(v -> ack.complete(new RecordMetadata(new TopicPartition("a", 0), 0, 0, 0, 0, 0)));
          acked++;
        } else {
          Thread.onSpinWait();
        }
      }
    });
    acker.start();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    acker.join();

    assertThat(wrongContext).isEmpty();
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < sender.sent.size(); i++) {
      sender.attempts(i).forEach(a -> written.add(a.sourceOffset()));
      assertThat(sender.attempts(i)).hasSizeLessThanOrEqualTo(50);
    }
    assertThat(written).hasSize(loops * each).doesNotHaveDuplicates();
    assertThat(durable).hasSize(loops * each);
    assertThat(sender.sent.size()).as("batched").isLessThan(loops * each);
  }
}
