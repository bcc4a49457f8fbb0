package org.bulletin.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class CloudEventCodecTest {
  private final CloudEventCodec codec = new CloudEventCodec();
  private final Instant now = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final long STORED_AT = Instant.parse("2024-05-01T10:15:31Z").toEpochMilli();

  private static ConsumerRecord<String, byte[]> received(ProducerRecord<String, byte[]> sent) {
    return new ConsumerRecord<>(sent.topic(), 0, 7L, STORED_AT, TimestampType.CREATE_TIME, 0, 0, sent.key(), sent.value(),
        sent.headers(), Optional.empty());
  }

  private static ConsumerRecord<String, byte[]> raw(String key, byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>("t", 0, 1L, STORED_AT, TimestampType.CREATE_TIME, 0, 0, key, value, headers,
        Optional.empty());
  }

  @Test
  void encodesBinaryModeHeadersAndKey() {
    ReportEvent event = ReportEvent.published(Reports.full(), now, "/bulletin/test");
    ProducerRecord<String, byte[]> record = codec.encode("reports", event);

    assertThat(record.key()).isEqualTo(Reports.full().id());
    assertThat(CloudEventCodec.header(record.headers(), "ce_specversion")).isEqualTo("1.0");
    assertThat(CloudEventCodec.header(record.headers(), "ce_type")).isEqualTo("dev.bulletin.report.published.v1");
    assertThat(CloudEventCodec.header(record.headers(), "ce_id")).isEqualTo(event.eventId());
    assertThat(CloudEventCodec.header(record.headers(), "ce_time")).isEqualTo("2024-05-01T10:15:30.123Z");
    assertThat(CloudEventCodec.header(record.headers(), "ce_subject")).isEqualTo(Reports.full().id());
    assertThat(CloudEventCodec.header(record.headers(), "content-type")).isEqualTo("application/json");
  }

  @Test
  void decodesWhatItEncodesForEveryType() throws Exception {
    for (ReportEvent event : new ReportEvent[] {
        ReportEvent.published(Reports.full(), now, "/s"),
        ReportEvent.corrected(Reports.full(), now, "/s"),
        ReportEvent.retracted(new Retraction(Reports.full().id(), "wrong meeting"), now, "/s")}) {
      assertThat(codec.decode(received(codec.encode("t", event)))).contains(event);
    }
  }

  @Test
  void publishedAndCorrectedEventsCarryTheReportsDistrictAndTagsAsExtensionAttributes() throws Exception {
    for (ReportEvent event : List.of(ReportEvent.published(Reports.full(), now, "/s"),
        ReportEvent.corrected(Reports.full(), now, "/s"))) {
      ProducerRecord<String, byte[]> record = codec.encode("t", event);
      assertThat(CloudEventCodec.header(record.headers(), "ce_bulletindistrict")).isEqualTo("Huiji District");
      assertThat(CloudEventCodec.header(record.headers(), "ce_bulletintags")).isEqualTo("economy");
      assertThat(codec.decode(received(record)).orElseThrow().facets())
          .isEqualTo(new ReportFacets("Huiji District", List.of("economy")));
    }
  }

  @Test
  void aRetractionCarriesTheDistrictAndTagsOfTheReportsLastVersion() throws Exception {
    ReportFacets last = new ReportFacets("Erqi District", List.of("flood-control", "water"));
    ReportEvent event = ReportEvent.retracted(new Retraction("r-1", "wrong meeting"), last, now, "/s");
    ProducerRecord<String, byte[]> record = codec.encode("t", event);

    assertThat(CloudEventCodec.header(record.headers(), "ce_bulletindistrict")).isEqualTo("Erqi District");
    assertThat(CloudEventCodec.header(record.headers(), "ce_bulletintags")).isEqualTo("flood-control,water");
    ReportEvent decoded = codec.decode(received(record)).orElseThrow();
    assertThat(decoded.facets()).isEqualTo(last);
    assertThat(decoded.eventId()).as("the attributes are not part of the event's identity")
        .isEqualTo(ReportEvent.retracted(new Retraction("r-1", "wrong meeting"), now, "/s").eventId());
  }

  @Test
  void aReportWithoutDistrictOrTagsHasNoDistrictAttributeAndEmptyTags() throws Exception {
    MeetingReport bare = new MeetingReport(Reports.full().id(), "Title", null, null, null, null, null, null, null,
        List.of("Body."), null, List.of(), "en");
    ProducerRecord<String, byte[]> record = codec.encode("t", ReportEvent.retracted(
        new Retraction(bare.id(), null), ReportFacets.of(bare), now, "/s"));

    assertThat(record.headers().lastHeader("ce_bulletindistrict")).isNull();
    assertThat(CloudEventCodec.header(record.headers(), "ce_bulletintags")).isEmpty();
    assertThat(codec.decode(received(record)).orElseThrow().facets()).isEqualTo(new ReportFacets(null, List.of()));
  }

  @Test
  void aRetractionWrittenBeforeTheAttributesExistedDecodesWithUnknownFacets() throws Exception {
    ProducerRecord<String, byte[]> record = codec.encode("t",
        ReportEvent.retracted(new Retraction("r-1", null), now, "/s"));
    assertThat(record.headers().lastHeader("ce_bulletintags")).isNull();
    RecordHeaders old = new RecordHeaders(record.headers().toArray());
    old.remove("ce_bulletindistrict");

    ReportEvent decoded = codec.decode(raw("r-1", record.value(), old)).orElseThrow();
    assertThat(decoded.type()).isEqualTo(EventType.RETRACTED);
    assertThat(decoded.facets()).isNull();
  }

  @Test
  void attributesThatBreakTheReportRulesLeaveARetractionsFacetsUnknownButTheRetractionValid() throws Exception {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.retracted(new Retraction("r-1", null),
        new ReportFacets("Erqi", List.of("water")), now, "/s"));
    for (String[] bad : new String[][] {{"Erqi", "Not A Slug"}, {"Erqi", "water,,x"}, {"Er\u0000qi", "water"},
        {"", "water"}, {"x".repeat(201), "water"}, {"Erqi", "water,water"}}) {
      RecordHeaders headers = new RecordHeaders(ok.headers().toArray());
      headers.remove("ce_bulletindistrict");
      headers.remove("ce_bulletintags");
      headers.add("ce_bulletindistrict", bad[0].getBytes(StandardCharsets.UTF_8));
      headers.add("ce_bulletintags", bad[1].getBytes(StandardCharsets.UTF_8));
      assertThat(codec.decode(raw("r-1", ok.value(), headers)).orElseThrow().facets())
          .as("district '%s', tags '%s'", bad[0], bad[1]).isNull();
    }
  }

  @Test
  void aPublishedEventsFacetsComeFromItsDataWhateverItsAttributesClaim() throws Exception {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    RecordHeaders headers = new RecordHeaders(ok.headers().toArray());
    headers.remove("ce_bulletindistrict");
    headers.remove("ce_bulletintags");
    headers.add("ce_bulletindistrict", "Elsewhere".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_bulletintags", "sports".getBytes(StandardCharsets.UTF_8));

    assertThat(codec.decode(raw(ok.key(), ok.value(), headers)).orElseThrow().facets())
        .isEqualTo(new ReportFacets("Huiji District", List.of("economy")));
  }

  @Test
  void sameReportGivesSameEventIdAndDifferentContentANewOne() {
    ReportEvent a = ReportEvent.published(Reports.full(), now, "/s");
    ReportEvent b = ReportEvent.published(Reports.full(), now.plusSeconds(60), "/s");
    ReportEvent c = ReportEvent.published(Reports.full().withId("other-id"), now, "/s");
    assertThat(a.eventId()).isEqualTo(b.eventId());
    assertThat(a.eventId()).isNotEqualTo(c.eventId());
    assertThat(ReportEvent.corrected(Reports.full(), now, "/s").eventId()).isNotEqualTo(a.eventId());
  }

  @Test
  void tombstoneDecodesToNothing() throws Exception {
    assertThat(codec.decode(received(codec.tombstone("t", "x")))).isEmpty();
  }

  @Test
  void rejectsGarbageBytes() {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    var record = raw(ok.key(), new byte[] {(byte) 0xff, 0, 1, 2}, (RecordHeaders) ok.headers());
    assertThatThrownBy(() -> codec.decode(record))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.code()).isEqualTo("not-json"));
  }

  @Test
  void rejectsInvalidUtf8InsideAnOtherwiseValidDocument() {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    byte[] prefix = "{\"id\":\"x\",\"title\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "\",\"publishedDate\":\"2022-04-27\",\"body\":[\"b\"]}".getBytes(StandardCharsets.UTF_8);
    byte[] value = new byte[prefix.length + 2 + suffix.length];
    System.arraycopy(prefix, 0, value, 0, prefix.length);
    value[prefix.length] = (byte) 0xc3; // a lead byte followed by an ASCII letter: malformed
    value[prefix.length + 1] = 'A';
    System.arraycopy(suffix, 0, value, prefix.length + 2, suffix.length);
    var record = raw("x", value, (RecordHeaders) ok.headers());
    assertThatThrownBy(() -> codec.decode(record))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.code()).isEqualTo("not-json"));
  }

  @Test
  void rejectsSchemaViolationNamingThePointer() {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    byte[] bad = "{\"id\":\"x\",\"title\":\"\",\"publishedDate\":\"2022-04-27\",\"body\":[\"b\"]}"
        .getBytes(StandardCharsets.UTF_8);
    var record = raw("x", bad, (RecordHeaders) ok.headers());
    assertThatThrownBy(() -> codec.decode(record))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo("schema-violation");
          assertThat(e.getMessage()).contains("/title");
        });
  }

  @Test
  void rejectsUnknownTypeAndMissingHeaders() {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    RecordHeaders unknown = new RecordHeaders(ok.headers().toArray());
    unknown.remove("ce_type");
    unknown.add("ce_type", "com.example.other".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.decode(raw(ok.key(), ok.value(), unknown)))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.code()).isEqualTo("unknown-type"));
    assertThatThrownBy(() -> codec.decode(raw(ok.key(), ok.value(), new RecordHeaders())))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.code()).isEqualTo("missing-header"));
  }

  @Test
  void rejectsKeyThatDiffersFromDataId() {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    assertThatThrownBy(() -> codec.decode(raw("another", ok.value(), (RecordHeaders) ok.headers())))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.code()).isEqualTo("key-mismatch"));
  }

  private static RecordHeaders withTime(ProducerRecord<String, byte[]> sent, String ceTime) {
    RecordHeaders headers = new RecordHeaders(sent.headers().toArray());
    headers.remove("ce_time");
    headers.add("ce_time", ceTime.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static MeetingReport dated(java.time.LocalDate published, java.time.LocalDate meeting) {
    MeetingReport r = Reports.full();
    return new MeetingReport(r.id(), r.title(), published, meeting, r.district(), r.presider(), r.attendees(),
        r.source(), r.sourceUrl(), r.body(), r.summary(), r.tags(), r.language());
  }

  private static String code(ThrowingDecode decode) {
    try {
      decode.run();
    } catch (EventRejectedException e) {
      return e.code();
    }
    return "accepted";
  }

  private interface ThrowingDecode {
    void run() throws EventRejectedException;
  }

  @Test
  void deadLettersAnEventWhoseTimeIsFarAheadOfItsRecordOrBefore1900() {
    ProducerRecord<String, byte[]> ok = codec.encode("t", ReportEvent.published(Reports.full(), now, "/s"));
    assertThatThrownBy(() -> codec.decode(raw(ok.key(), ok.value(), withTime(ok, "9999-12-31T00:00:00Z"))))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo("time-out-of-range");
          assertThat(e.getMessage()).contains("9999-12-31");
        });
    assertThat(code(() -> codec.decode(raw(ok.key(), ok.value(), withTime(ok, "1899-12-31T23:59:59Z")))))
        .isEqualTo("time-out-of-range");
    assertThat(code(() -> codec.decode(raw(ok.key(), ok.value(), withTime(ok, "2024-05-02T12:00:00Z")))))
        .as("a day ahead of the record is a time zone, not an error").isEqualTo("accepted");
  }

  @Test
  void deadLettersAReportDatedFarAheadOfItsEventNamingTheField() {
    ProducerRecord<String, byte[]> future = codec.encode("t", ReportEvent.published(
        dated(java.time.LocalDate.of(9999, 12, 31), null), now, "/s"));
    assertThatThrownBy(() -> codec.decode(received(future)))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo("date-out-of-range");
          assertThat(e.getMessage()).contains("/publishedDate", "9999-12-31");
        });
    ProducerRecord<String, byte[]> old = codec.encode("t", ReportEvent.published(
        dated(java.time.LocalDate.of(2024, 4, 1), java.time.LocalDate.of(1899, 12, 31)), now, "/s"));
    assertThatThrownBy(() -> codec.decode(received(old)))
        .isInstanceOfSatisfying(EventRejectedException.class, e -> assertThat(e.getMessage()).contains("/meetingDate"));
  }

  @Test
  void aDateADayAheadAcceptedOnceIsAcceptedOnEveryLaterReplay() throws Exception {
    // Published at 23:00 UTC by a body at UTC+8, where it is already the next day.
    Instant late = Instant.parse("2024-05-01T23:00:00Z");
    ReportEvent event = ReportEvent.published(dated(java.time.LocalDate.of(2024, 5, 2), null), late, "/s");
    ProducerRecord<String, byte[]> sent = codec.encode("t", event);
    for (Instant clock : new Instant[] {late, late.plusSeconds(86_400L * 365 * 30)}) {
      CloudEventCodec later = new CloudEventCodec(java.time.Clock.fixed(clock, java.time.ZoneOffset.UTC));
      assertThat(later.decode(received(sent))).contains(event);
    }
  }
}
