package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bulletin.schema.ReportFacets;
import org.junit.jupiter.api.Test;

class SubscriptionFiltersTest {
  private static final ReportFacets HUIJI = new ReportFacets("Huiji District", List.of("economy", "investment"));

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
  void aRetractionIsMatchedByTheDistrictAndTagsItCarries() {
    var erqi = new Subscription.Filters(null, List.of("Erqi District"), null);
    assertThat(erqi.accepts("retracted", HUIJI)).isFalse();
    assertThat(new Subscription.Filters(null, List.of("Huiji District"), List.of("investment"))
        .accepts("retracted", HUIJI)).isTrue();
  }

  @Test
  void aReportWithoutDistrictFailsADistrictFilter() {
    assertThat(new Subscription.Filters(null, List.of("Erqi District"), null)
        .accepts("published", new ReportFacets(null, List.of()))).isFalse();
  }

  @Test
  void aRetractionWithUnknownFacetsPassesDistrictAndTagFiltersButNotTypeFilters() {
    assertThat(new Subscription.Filters(null, List.of("Erqi District"), null).accepts("retracted", null)).isTrue();
    assertThat(new Subscription.Filters(List.of("published"), null, null).accepts("retracted", null)).isFalse();
  }
}
