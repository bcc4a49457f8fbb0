package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.bulletin.feed.view.Change;
import org.bulletin.feed.view.EntryKey;
import org.bulletin.feed.view.ReportView;
import org.bulletin.platform.http.ProblemException;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.ReportFacets;
import org.junit.jupiter.api.Test;

class FilterValuesTest {
  private final ReportView view = new ReportView();
  private boolean caughtUp = true;
  private final FilterValues values = new FilterValues(view.vocabulary(), () -> caughtUp);
  private long offset;

  private void seen(String id, String district, String... tags) {
    MeetingReport r = new MeetingReport(id, "Title " + id, LocalDate.of(2024, 1, 1), null, district, null, null, null,
        null, List.of("Body"), null, List.of(tags), "en");
    view.apply(List.of(new Change.Upsert(r, Instant.ofEpochMilli(1000 + offset), new EntryKey(1000 + offset, 0,
        offset++))));
  }

  private static Subscription.Filters filters(List<String> districts, List<String> tags) {
    return new Subscription.Filters(null, districts, tags);
  }

  private static ProblemException refused(Runnable r) {
    try {
      r.run();
    } catch (ProblemException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void namesAndSlugsInAnyCaseBecomeTheValuesReportsCarry() {
    seen("a", "Huiji District", "economy", "public-health");
    Subscription.Filters f = values.canonical(filters(List.of("huiji-district", "HUIJI DISTRICT"),
        List.of("Economy", "Public Health")));
    assertThat(f.districts()).containsExactly("Huiji District");
    assertThat(f.tags()).containsExactly("economy", "public-health");
    assertThat(f.accepts("published", new ReportFacets("Huiji District", List.of("public-health")))).isTrue();
  }

  @Test
  void anUnknownValueIsRefusedWith422NamingTheFieldAndListingTheKnownValues() {
    seen("a", "Huiji District", "economy");
    seen("b", "Erqi District", "investment");
    ProblemException e = refused(() -> values.canonical(filters(List.of("Erqi District", "Nowhere"),
        List.of("not-a-tag"))));
    assertThat(e.problem().status()).isEqualTo(422);
    assertThat(e.problem().code()).isEqualTo("unknown-filter-value");
    assertThat(e.problem().detail())
        .contains("filters.districts: \"Nowhere\" is not a known district")
        .contains("Erqi District, Huiji District")
        .contains("filters.tags: \"not-a-tag\" is not a known tag")
        .contains("economy, investment");
    assertThat(e.problem().errors()).extracting(v -> v.pointer())
        .containsExactly("/filters/districts/1", "/filters/tags/0");
  }

  @Test
  void theListOfKnownValuesIsBounded() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add(String.format("tag-%02d", i));
    }
    seen("a", null, many.toArray(String[]::new));
    ProblemException e = refused(() -> values.canonical(filters(null, List.of("zzz"))));
    assertThat(e.problem().detail()).contains("tag-49 and 10 more").doesNotContain("tag-50");
  }

  @Test
  void beforeAnyReportAFilterIsRefusedSayingNoValueIsKnownYet() {
    ProblemException e = refused(() -> values.canonical(filters(List.of("Huiji District"), null)));
    assertThat(e.problem().status()).isEqualTo(422);
    assertThat(e.problem().detail()).contains("no report read so far has a district")
        .contains("Leave filters.districts out");
    assertThat(values.canonical(filters(null, null)).districts()).isEmpty();
  }

  @Test
  void whileTheViewCatchesUpAnUnknownValueAsksToRetry() {
    caughtUp = false;
    seen("a", "Huiji District");
    assertThat(values.canonical(filters(List.of("huiji district"), null)).districts()).containsExactly("Huiji District");
    ProblemException e = refused(() -> values.canonical(filters(List.of("Erqi District"), null)));
    assertThat(e.problem().status()).isEqualTo(503);
    assertThat(e.problem().detail()).contains("retry");
  }

  @Test
  void aRetractedReportsDistrictStaysKnown() {
    seen("a", "Huiji District");
    view.apply(List.of(new Change.Retract("a", Instant.ofEpochMilli(5000), "withdrawn")));
    assertThat(values.canonical(filters(List.of("Huiji District"), null)).districts()).containsExactly("Huiji District");
  }
}
