package org.bulletin.producer.ingest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bulletin.platform.kafka.KafkaUnavailableException;
import org.bulletin.producer.index.ReadBarrier;
import org.bulletin.producer.index.ReportIndex;
import org.bulletin.producer.kafka.EventPublisher;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.schema.Retraction;

/**
 * Publishes, corrects and retracts reports as CloudEvents on the reports topic. Each future
 * completes only after Kafka acknowledged the event, on the caller's Vert.x context.
 *
 * <p>A change that changes nothing writes nothing: content identical to the report's current
 * version, or the retraction of a retracted report, completes as {@link Accepted#unchanged()},
 * so re-publishing the same files sends no event to the feeds or to any partner. Correcting or
 * retracting a report the topic does not hold fails with {@link UnknownReportException}. Both
 * rely on the {@link ReportIndex}; until it is built, calls wait for it (up to the send timeout).
 * A miss is confirmed by a {@link ReadBarrier} first (see {@link #currentAfterBarrier}).
 * Calls for one report run one after the other on this instance; two instances racing with the
 * same content may both write it (the same event id; the feed service drops the second).
 */
public final class ReportIngest {
  private final Vertx vertx;
  private final EventPublisher publisher;
  private final CloudEventCodec codec = new CloudEventCodec();
  private final String topic;
  private final String eventSource;
  private final Clock clock;
  private final ReportIndex index;
  private final BooleanSupplier indexReady;
  private final long readyTimeoutMs;
  private final ReadBarrier barrier;
  private final Map<String, Future<Accepted>> lastCallByReport = new ConcurrentHashMap<>();

  /**
   * @param indexReady true once {@code index} holds everything in the topic
   * @param readyTimeoutMs how long a call waits for the index before failing as Kafka unavailable
   * @param barrier waited for before a correction or retraction is refused (or found unchanged)
   *     because the index does not hold the report, or holds it retracted: another instance may
   *     have written it a moment ago
   */
  public ReportIngest(Vertx vertx, EventPublisher publisher, String topic, String eventSource, Clock clock,
      ReportIndex index, BooleanSupplier indexReady, long readyTimeoutMs, ReadBarrier barrier) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.topic = topic;
    this.eventSource = eventSource;
    this.clock = clock;
    this.index = index;
    this.indexReady = indexReady;
    this.readyTimeoutMs = readyTimeoutMs;
    this.barrier = barrier;
  }

  /** For a single writer that sees all writes itself (the CLI): no read barrier. */
  public ReportIngest(Vertx vertx, EventPublisher publisher, String topic, String eventSource, Clock clock,
      ReportIndex index, BooleanSupplier indexReady, long readyTimeoutMs) {
    this(vertx, publisher, topic, eventSource, clock, index, indexReady, readyTimeoutMs, ReadBarrier.NONE);
  }

  public Future<Accepted> publish(MeetingReport report) {
    return serialized(report.id(), () -> {
      ReportEvent event = ReportEvent.published(report, clock.instant(), eventSource);
      return writeUnlessUnchanged(event, index.current(report.id()));
    });
  }

  public Future<Accepted> correct(MeetingReport report) {
    return serialized(report.id(), () -> currentAfterBarrier(report.id()).compose(current -> {
      if (current.isEmpty() || current.get().retracted()) {
        return Future.failedFuture(new UnknownReportException(report.id(), current.isPresent()));
      }
      return writeUnlessUnchanged(ReportEvent.corrected(report, clock.instant(), eventSource), current);
    }));
  }

  /** The retracted event, then a tombstone so compaction forgets the body. */
  public Future<Accepted> retract(String reportId, String reason) {
    return serialized(reportId, () -> currentAfterBarrier(reportId).compose(current -> {
      // The retraction carries the district and tags of the version it retracts, for webhook filters.
      ReportEvent event = ReportEvent.retracted(new Retraction(reportId, reason),
          current.map(ReportIndex.Version::facets).orElse(null), clock.instant(), eventSource);
      if (current.isEmpty()) {
        return Future.failedFuture(new UnknownReportException(reportId, false));
      }
      if (current.get().retracted()) {
        return Future.succeededFuture(unchanged(event, current.get()));
      }
      return send(event, List.of(codec.encode(topic, event), codec.tombstone(topic, reportId)), 0, true);
    }));
  }

  /**
   * The report's current version; when the index holds it as absent or retracted, only after the
   * read barrier, so a version another instance just wrote is not missed (a 404 is never stale).
   */
  private Future<Optional<ReportIndex.Version>> currentAfterBarrier(String reportId) {
    Optional<ReportIndex.Version> current = index.current(reportId);
    if (current.isPresent() && !current.get().retracted()) {
      return Future.succeededFuture(current);
    }
    return barrier.await(reportId).map(v -> index.current(reportId));
  }

  private Future<Accepted> writeUnlessUnchanged(ReportEvent event, Optional<ReportIndex.Version> current) {
    ProducerRecord<String, byte[]> record = codec.encode(topic, event);
    long hash = ReportIndex.contentHash(record.value());
    if (current.isPresent() && !current.get().retracted() && current.get().contentHash() == hash) {
      return Future.succeededFuture(unchanged(event, current.get()));
    }
    return send(event, List.of(record), hash, false);
  }

  private static Accepted unchanged(ReportEvent event, ReportIndex.Version current) {
    // The event id is derived from type and content: the id of the identical event already there.
    return new Accepted(event.reportId(), event.eventId(), event.type(), current.partition(), current.offset(), true);
  }

  private Future<Accepted> send(ReportEvent event, List<ProducerRecord<String, byte[]>> records, long hash,
      boolean retracted) {
    return publisher.send(vertx.getOrCreateContext(), records).map(acks -> {
      RecordMetadata first = acks.get(0);
      RecordMetadata last = acks.get(acks.size() - 1);
      index.apply(event.reportId(), new ReportIndex.Version(last.partition(), last.offset(), hash, retracted,
          retracted ? null : event.facets(), last.timestamp()));
      return new Accepted(event.reportId(), event.eventId(), event.type(), first.partition(), first.offset(), false);
    });
  }

  /** Runs {@code call} once the index is built and every earlier call for this report finished. */
  private Future<Accepted> serialized(String reportId, Supplier<Future<Accepted>> call) {
    Promise<Accepted> result = Promise.promise();
    Future<Accepted> previous = lastCallByReport.put(reportId, result.future());
    Future<?> before = previous == null ? Future.succeededFuture() : previous.transform(ar -> Future.succeededFuture());
    before.compose(v -> indexBuilt()).compose(v -> call.get()).onComplete(ar -> {
      lastCallByReport.remove(reportId, result.future());
      result.handle(ar);
    });
    return result.future();
  }

  private Future<Void> indexBuilt() {
    if (indexReady.getAsBoolean()) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> ready = Promise.promise();
    long deadline = System.currentTimeMillis() + readyTimeoutMs;
    context.runOnContext(v -> vertx.setPeriodic(20, timer -> {
      if (indexReady.getAsBoolean()) {
        vertx.cancelTimer(timer);
        ready.tryComplete();
      } else if (System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(timer);
        ready.tryFail(new KafkaUnavailableException("the reports topic could not be read within "
            + readyTimeoutMs + " ms, so it is not known whether the report changed", null));
      }
    }));
    return ready.future();
  }
}
