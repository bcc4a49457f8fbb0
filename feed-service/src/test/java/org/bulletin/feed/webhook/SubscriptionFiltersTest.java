package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.bulletin.schema.MeetingReport;
import org.junit.jupiter.api.Test;

class SubscriptionFiltersTest {
  private static final MeetingReport HUIJI = new MeetingReport("a", "T", LocalDate.of(2024, 1, 1), null,
      "Huiji District", null, null, null, null, List.of("b"), null, List.of("economy", "investment"), "en");

  @Test
  void emptyFiltersAcceptEverything() {
    assertThat(new Subscription.Filters(null, null, null).accepts("corrected", HUIJI)).isTrue();
  }

  @Test
  void everyGivenFilterMustMatch() {
    var f = new Subscription.Filters(List.of("published"), List.of("huiji district"), List.of("economy"));
    assertThat(f.accepts("published", HUIJI)).isTrue();
    assertThat(f.accepts("corrected", HUIJI)).isFalse();
    assertThat(new Subscription.Filters(null, List.of("Erqi District"), null).accepts("published", HUIJI)).isFalse();
    assertThat(new Subscription.Filters(null, null, List.of("environment")).accepts("published", HUIJI)).isFalse();
  }

  @Test
  void retractionOfAnUnknownReportPassesDistrictAndTagFiltersButNotTypeFilters() {
    assertThat(new Subscription.Filters(null, List.of("Erqi District"), null).accepts("retracted", null)).isTrue();
    assertThat(new Subscription.Filters(List.of("published"), null, null).accepts("retracted", null)).isFalse();
  }
}
