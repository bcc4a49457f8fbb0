package org.bulletin.feed.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The takeover decisions and the marker's record format. */
class DistributionMarkerTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aTopicNeverRecordedIsSentOnTakeover() {
    assertThat(DistributionMarker.takeOverSends(null, "\"e1\"", T)).isTrue();
  }

  @Test
  void anUnchangedDocumentIsNotSentOnTakeover() {
    assertThat(DistributionMarker.takeOverSends(new DistributionMarker("\"e1\"", T), "\"e1\"", T)).isFalse();
  }

  @Test
  void aChangedDocumentAsNewOrNewerIsSentOnTakeover() {
    DistributionMarker m = new DistributionMarker("\"e1\"", T);
    assertThat(DistributionMarker.takeOverSends(m, "\"e2\"", T)).isTrue();
    assertThat(DistributionMarker.takeOverSends(m, "\"e2\"", T.plusSeconds(1))).isTrue();
  }

  @Test
  void aDocumentOlderThanTheRecordedOneIsNeverSent() {
    assertThat(DistributionMarker.takeOverSends(new DistributionMarker("\"e2\"", T), "\"e1\"", T.minusMillis(1)))
        .isFalse();
  }

  @Test
  void aMarkerWrittenBeforeLastModifiedWasKeptComparesByEtagOnly() {
    DistributionMarker legacy = DistributionMarker.parse("\"e1\"");
    assertThat(legacy).isEqualTo(new DistributionMarker("\"e1\"", null));
    assertThat(DistributionMarker.takeOverSends(legacy, "\"e2\"", T.minusSeconds(100))).isTrue();
    assertThat(DistributionMarker.takeOverSends(legacy, "\"e1\"", T)).isFalse();
  }

  @Test
  void aMarkerReadsBackWhatItWrote() {
    DistributionMarker m = new DistributionMarker("W/\"a b\"", T.plusMillis(7));
    assertThat(DistributionMarker.parse(new String(m.encode(), StandardCharsets.UTF_8))).isEqualTo(m);
  }
}
