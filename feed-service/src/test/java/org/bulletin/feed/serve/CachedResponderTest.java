package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CachedResponderTest {
  @Test
  void gzipOnlyWhenAcceptedWithNonZeroQuality() {
    assertThat(CachedResponder.acceptsGzip("gzip, deflate, br")).isTrue();
    assertThat(CachedResponder.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
    assertThat(CachedResponder.acceptsGzip("*")).isTrue();
    assertThat(CachedResponder.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(CachedResponder.acceptsGzip("gzip;q=0.000")).isFalse();
    assertThat(CachedResponder.acceptsGzip("identity")).isFalse();
    assertThat(CachedResponder.acceptsGzip(null)).isFalse();
  }

  @Test
  void equalBytesGiveEqualStrongEtagsAndLastModifiedInSeconds() {
    byte[] body = "<feed/>".getBytes();
    CachedDocument a = CachedDocument.of(200, "x", body, Instant.parse("2024-01-01T10:00:00.900Z"));
    CachedDocument b = CachedDocument.of(200, "x", body.clone(), Instant.parse("2024-01-01T10:00:00.100Z"));
    assertThat(a.etag()).isEqualTo(b.etag()).startsWith("\"").endsWith("\"");
    assertThat(a.gzipEtag()).isNotEqualTo(a.etag());
    assertThat(a.lastModifiedHttp()).isEqualTo("Mon, 01 Jan 2024 10:00:00 GMT");
    assertThat(CachedDocument.of(200, "x", "<feed />".getBytes(), Instant.EPOCH).etag()).isNotEqualTo(a.etag());
  }

  @Test
  void aSettledArchivePageIsCachedLongerThanCurrentDocumentsAndErrorPagesBriefly() {
    CachedResponder responder = new CachedResponder(new org.bulletin.feed.metrics.FeedMetrics(), 60, 3600);
    CachedDocument current = CachedDocument.of(200, "x", "<feed/>".getBytes(), Instant.EPOCH);
    assertThat(responder.cacheControl(current)).isEqualTo("public, max-age=60");
    assertThat(responder.cacheControl(current.asSettled())).isEqualTo("public, max-age=3600");
    assertThat(current.asSettled().etag()).as("the same bytes").isEqualTo(current.etag());
    assertThat(responder.cacheControl(CachedDocument.of(410, "x", "gone".getBytes(), Instant.EPOCH)))
        .isEqualTo("public, max-age=60");
  }

  @Test
  void lastModifiedIsNeverInTheFuture() {
    Instant now = Instant.parse("2024-05-01T10:00:00.700Z");
    CachedDocument ahead = CachedDocument.of(200, "x", "<feed/>".getBytes(), now.plusSeconds(86_400), now);
    assertThat(ahead.lastModified()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(ahead.lastModifiedHttp()).isEqualTo("Wed, 01 May 2024 10:00:00 GMT");
    CachedDocument past = CachedDocument.of(200, "x", "<feed/>".getBytes(), now.minusSeconds(60), now);
    assertThat(past.lastModified()).isEqualTo(Instant.parse("2024-05-01T09:59:00Z"));
    assertThat(CachedDocument.of(200, "x", "<feed/>".getBytes(), Instant.parse("9999-12-31T00:00:00Z")).lastModified())
        .isBeforeOrEqualTo(Instant.now());
  }
}
