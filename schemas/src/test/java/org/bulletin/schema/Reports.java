package org.bulletin.schema;

import java.time.LocalDate;
import java.util.List;

/** A complete report for tests: every optional field set. */
final class Reports {
  private Reports() {}

  static MeetingReport full() {
    return new MeetingReport("2022-04-27-huiji-district-held-economic-operation-analysis-meeting",
        "Huiji district held economic operation analysis meeting",
        LocalDate.of(2022, 4, 27), LocalDate.of(2022, 3, 23), "Huiji District",
        new Official("Wei Dong", "secretary of the District Party Committee"),
        List.of(Official.named("Zhao Minxiang"), new Official("Ding Wenxia", "district head")),
        "Website of Huiji District People’s Government", "https://example.org/report/1",
        List.of("First paragraph.", "Second paragraph."), "Short summary.", List.of("economy"), "en");
  }
}
