package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AttemptTailTest {
  private final List<AttemptRecord> read = new ArrayList<>();

  private static ConsumerRecord<String, byte[]> batch(String instance, AttemptRecord... attempts) {
    List<byte[]> jsons = new ArrayList<>();
    for (AttemptRecord a : attempts) {
      jsons.add(DeliveryJson.write(a));
    }
    List<Header> headers = AttemptBatch.headers(instance, AttemptBatch.channels(List.of(attempts)));
    return new ConsumerRecord<>("attempts", 0, 0, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0,
        instance, AttemptBatch.value(jsons), new RecordHeaders(headers), java.util.Optional.empty());
  }

  @Test
  void ownInstancesRecordsAreSkippedUnreadAndOtherInstancesAreKept() {
    AttemptTail tail = new AttemptTail("me", null, read::add);
    ConsumerRecord<String, byte[]> own = new ConsumerRecord<>("attempts", 0, 0, "me",
        "not even JSON".getBytes(StandardCharsets.UTF_8));
    own.headers().add(AttemptBatch.INSTANCE_HEADER, "me".getBytes(StandardCharsets.UTF_8));
    own.headers().add(AttemptBatch.FORMAT_HEADER, AttemptBatch.FORMAT.getBytes(StandardCharsets.UTF_8));

    tail.accept(own); // would throw if it were parsed
    tail.accept(batch("an-earlier-run", AttemptWriterTest.attempt("webhook", "sub_1", 1, ""),
        AttemptWriterTest.attempt("websub", "ws_1", 2, "")));

    assertThat(read).extracting(AttemptRecord::endpointId).containsExactly("sub_1", "ws_1");
  }

  @Test
  void aChannelsReaderSkipsBatchesWithoutItsChannelUnreadAndKeepsOnlyItsAttempts() {
    AttemptTail tail = new AttemptTail("me", "websub", read::add);
    ConsumerRecord<String, byte[]> webhookOnly = new ConsumerRecord<>("attempts", 0, 0, "other",
        "not even JSON".getBytes(StandardCharsets.UTF_8));
    webhookOnly.headers().add(AttemptBatch.INSTANCE_HEADER, "other".getBytes(StandardCharsets.UTF_8));
    webhookOnly.headers().add(AttemptBatch.CHANNELS_HEADER, "webhook".getBytes(StandardCharsets.UTF_8));
    webhookOnly.headers().add(AttemptBatch.FORMAT_HEADER, AttemptBatch.FORMAT.getBytes(StandardCharsets.UTF_8));

    tail.accept(webhookOnly);
    tail.accept(batch("other", AttemptWriterTest.attempt("webhook", "sub_1", 1, ""),
        AttemptWriterTest.attempt("websub", "ws_1", 2, "")));

    assertThat(read).extracting(AttemptRecord::endpointId).containsExactly("ws_1");
    assertThat(tail.reads(new RecordHeaders(AttemptBatch.headers("other", Set.of("webhook"))))).isFalse();
  }

  @Test
  void aSingleAttemptRecordWrittenBeforeBatchesIsRead() {
    AttemptTail tail = new AttemptTail("me", "webhook", read::add);
    AttemptRecord old = AttemptWriterTest.attempt("webhook", "sub_1", 7, "ok");
    tail.accept(new ConsumerRecord<>("attempts", 0, 0, "sub_1", DeliveryJson.write(old)));

    assertThat(read).containsExactly(old);
  }
}
