package org.bulletin.feed.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.bulletin.platform.exec.OverloadedException;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadBackTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<long[]> asked = Collections.synchronizedList(new ArrayList<>());
  private final List<String> threads = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static long p(int partition, long offset) {
    return Position.of(partition, offset);
  }

  /** Holds a report at every position but offset 666, which compaction took. */
  private ReportFetcher fakeKafka() {
    return new ReportFetcher() {
      @Override
      public Map<Long, MeetingReport> fetch(long[] positions) {
        asked.add(positions);
        threads.add(Thread.currentThread().getName());
        Map<Long, MeetingReport> out = new HashMap<>();
        for (long position : positions) {
          if (Position.offset(position) != 666) {
            out.put(position, new MeetingReport("r-" + position, "Report", LocalDate.of(2024, 1, 1), null, null,
                null, null, null, null, List.of("Body"), null, List.of(), "en"));
          }
        }
        return out;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void readsAPageInOneBatchOnThePoolAndGivesBackWhatTheTopicHeld() {
    long[] positions = {p(0, 10), p(0, 11), p(1, 7), p(2, 666)};
    try (ReadBack readBack = new ReadBack("test-readback", 2, 8, this::fakeKafka)) {
      Map<Long, MeetingReport> read = readBack.fetch(vertx.getOrCreateContext(), positions).await();

      assertThat(read).containsOnlyKeys(p(0, 10), p(0, 11), p(1, 7));
      assertThat(read.get(p(1, 7)).id()).isEqualTo("r-" + p(1, 7));
      assertThat(asked).hasSize(1);
      assertThat(asked.get(0)).containsExactly(positions);
      assertThat(threads).allMatch(name -> name.startsWith("test-readback-"));
    }
  }

  @Test
  void aFullPoolRefusesAtOnce() {
    CountDownLatch release = new CountDownLatch(1);
    ReportFetcher blocked = new ReportFetcher() {
      @Override
      public Map<Long, MeetingReport> fetch(long[] positions) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Map.of();
      }

      @Override
      public void close() {}
    };
    try (ReadBack readBack = new ReadBack("test-readback", 1, 1, () -> blocked)) {
      Context context = vertx.getOrCreateContext();
      readBack.fetch(context, new long[] {p(0, 1)}); // running
      readBack.fetch(context, new long[] {p(0, 2)}); // queued

      assertThatThrownBy(() -> readBack.fetch(context, new long[] {p(0, 3)}).await())
          .isInstanceOf(OverloadedException.class);
      release.countDown();
    }
  }
}
