package org.bulletin.producer.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.bulletin.schema.CloudEventCodec;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportEvent;
import org.bulletin.schema.ReportFacets;
import org.bulletin.schema.Retraction;
import org.junit.jupiter.api.Test;

class ReportIndexTest {
  private final CloudEventCodec codec = new CloudEventCodec();
  private final ReportIndex index = new ReportIndex();
  private static final MeetingReport ERQI = new MeetingReport("erqi-1", "Flood prevention", LocalDate.of(2024, 3, 5),
      null, "Erqi District", null, null, null, null, List.of("Body."), null, List.of("flood-control", "water"), "en");

  private static ConsumerRecord<String, byte[]> read(ProducerRecord<String, byte[]> sent, long offset,
      RecordHeaders headers) {
    return new ConsumerRecord<>("reports", 0, offset, System.currentTimeMillis(), TimestampType.CREATE_TIME, 0, 0,
        sent.key(), sent.value(), headers, Optional.empty());
  }

  @Test
  void keepsTheDistrictAndTagsOfEachReportsCurrentVersionForItsRetraction() {
    ProducerRecord<String, byte[]> published = codec.encode("reports", ReportEvent.published(ERQI, Instant.now(), "/s"));
    index.apply(read(published, 0, (RecordHeaders) published.headers()));

    assertThat(index.current("erqi-1").orElseThrow().facets())
        .isEqualTo(new ReportFacets("Erqi District", List.of("flood-control", "water")));

    ProducerRecord<String, byte[]> retracted = codec.encode("reports",
        ReportEvent.retracted(new Retraction("erqi-1", null), Instant.now(), "/s"));
    index.apply(read(retracted, 1, (RecordHeaders) retracted.headers()));
    assertThat(index.current("erqi-1").orElseThrow().retracted()).isTrue();
    assertThat(index.current("erqi-1").orElseThrow().facets()).isNull();
  }

  @Test
  void aReportWrittenBeforeTheAttributesExistedIsPlacedByItsData() {
    ProducerRecord<String, byte[]> published = codec.encode("reports", ReportEvent.published(ERQI, Instant.now(), "/s"));
    RecordHeaders old = new RecordHeaders(published.headers().toArray());
    old.remove(CloudEventCodec.DISTRICT_HEADER);
    old.remove(CloudEventCodec.TAGS_HEADER);
    index.apply(read(published, 0, old));

    assertThat(index.current("erqi-1").orElseThrow().facets())
        .isEqualTo(new ReportFacets("Erqi District", List.of("flood-control", "water")));
  }

  @Test
  void onOnePartitionTheHigherOffsetIsNewerAcrossPartitionsTheLaterTimestamp() {
    index.apply("r", new ReportIndex.Version(0, 57, 1, false, null, 2_000));
    index.apply("r", new ReportIndex.Version(0, 12, 2, false, null, 3_000));
    assertThat(index.current("r").orElseThrow().contentHash()).as("same partition: offset").isEqualTo(1);

    // The topic gained partitions: the report's next record went to another partition.
    index.apply("r", new ReportIndex.Version(2, 0, 3, true, null, 4_000));
    assertThat(index.current("r").orElseThrow().retracted()).isTrue();
    index.apply("r", new ReportIndex.Version(0, 58, 4, false, null, 3_500));
    assertThat(index.current("r").orElseThrow().retracted()).as("read later, written earlier").isTrue();
  }
}
