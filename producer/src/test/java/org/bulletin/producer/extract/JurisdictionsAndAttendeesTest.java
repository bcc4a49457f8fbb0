package org.bulletin.producer.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.SchemaValidator;
import org.junit.jupiter.api.Test;

/**
 * Articles from county-level cities, counties and districts whose attendee lists end in a group
 * ("…, and the main responsible comrades of relevant departments"), field by field.
 */
class JurisdictionsAndAttendeesTest {
  private final ArticleExtractor extractor = new ArticleExtractor();

  private MeetingReport extract(String article) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/articles/" + article)) {
      MeetingReport report = extractor.extract(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertThat(SchemaValidator.meetingReport().validate(EventJson.mapper().valueToTree(report)))
          .as("extracted report is valid").isEmpty();
      return report;
    }
  }

  @Test
  void countyLevelCityWithAMayorAndMunicipalLeadersFollowedByDepartments() throws Exception {
    MeetingReport r = extract("xinmi-flood-season-safety-meeting.txt");
    assertThat(r.title()).isEqualTo("Xinmi City held a flood season safety deployment meeting");
    assertThat(r.id()).isEqualTo("2023-05-26-xinmi-city-held-a-flood-season-safety-deployment-meeting");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2023, 5, 26));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2023, 5, 24));
    assertThat(r.district()).as("the parent city's committee is named too, but the report is Xinmi's")
        .isEqualTo("Xinmi City");
    assertThat(r.presider())
        .isEqualTo(new Official("Zhang Hongwei", "deputy secretary of the Municipal Party Committee and mayor"));
    assertThat(r.attendees()).containsExactly(Official.named("Li Jianguo"), Official.named("Wang Shuying"));
    assertThat(r.source()).isEqualTo("Website of Xinmi Municipal People’s Government");
    assertThat(r.body()).hasSize(3);
    assertThat(r.body().get(2)).isEqualTo("Municipal leaders Li Jianguo and Wang Shuying, and the main responsible"
        + " comrades of relevant departments attended the meeting.");
    assertThat(r.summary()).isEqualTo("On May 24, Xinmi City held a flood season safety deployment meeting.");
    assertThat(r.tags()).containsExactly("emergency-management", "work-safety");
    assertThat(r.sourceUrl()).isNull();
  }

  @Test
  void cityNamedOnlyThroughItsMunicipalOrgansWithAMayorAndAttendingWereList() throws Exception {
    MeetingReport r = extract("dengfeng-tourism-market-meeting.txt");
    assertThat(r.title()).isEqualTo("Dengfeng holds tourism market order rectification meeting");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2023, 6, 8));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2023, 6, 6));
    assertThat(r.district()).isEqualTo("Dengfeng City");
    assertThat(r.presider()).isEqualTo(new Official("Guo Xiaoyan", "Mayor"));
    assertThat(r.attendees()).containsExactly(Official.named("Feng Lixin"), Official.named("Han Dongmei"));
    assertThat(r.source()).isEqualTo("Dengfeng Daily");
    assertThat(r.body()).hasSize(4);
    assertThat(r.tags()).containsExactly("tourism");
  }

  @Test
  void countyWhoseTitleOmitsTheKindAndThreeLeadersBeforeDepartmentsAndTowns() throws Exception {
    MeetingReport r = extract("zhongmou-rural-revitalization-meeting.txt");
    assertThat(r.title()).isEqualTo("Zhongmou held a rural revitalization promotion meeting");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2024, 4, 18));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2024, 4, 16));
    assertThat(r.district()).isEqualTo("Zhongmou County");
    assertThat(r.presider()).isEqualTo(new Official("Ren Jun", "secretary of the County Party Committee"));
    assertThat(r.attendees()).extracting(Official::name).containsExactly("Bai Yu", "Song Lan", "Kong Xiang");
    assertThat(r.attendees()).extracting(Official::role).containsOnlyNulls();
    assertThat(r.source()).isEqualTo("Website of Zhongmou County People’s Government");
    assertThat(r.body()).hasSize(2);
    assertThat(r.body().get(0)).contains("the meeting. The meeting summarized");
    assertThat(r.tags()).contains("agriculture");
  }

  @Test
  void districtNamedOnlyInThePresidersRoleAndDistrictLeadersFollowedByDepartments() throws Exception {
    MeetingReport r = extract("jinshui-work-safety-meeting.txt");
    assertThat(r.title()).isEqualTo("Work safety meeting held before the Dragon Boat Festival");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2023, 6, 20));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2023, 6, 19));
    assertThat(r.district()).isEqualTo("Jinshui District");
    assertThat(r.presider()).isEqualTo(new Official("Zhang Min",
        "deputy secretary of the District Committee and district head of Jinshui District"));
    assertThat(r.attendees()).containsExactly(Official.named("Wang Lei"), Official.named("Chen Jing"));
    assertThat(r.source()).isEqualTo("Jinshui District Government Portal");
    assertThat(r.body()).hasSize(3);
    assertThat(r.tags()).containsExactly("work-safety");
  }

  @Test
  void aGroupAfterTheNamesEndsTheListInEveryWording() {
    for (String sentence : new String[] {
        "District leaders Ab Cd and Ef Gh, and the main responsible comrades of relevant departments attended the meeting.",
        "Municipal leaders Ab Cd and Ef Gh, and the main responsible comrades of relevant departments attended the meeting.",
        "City leaders Ab Cd, Ef Gh as well as heads of relevant units attended the meeting.",
        "Ab Cd and Ef Gh, together with the principal leaders of each town, attended the meeting.",
        "Attending the meeting were Ab Cd, Ef Gh and the heads of the finance, taxation and audit departments."}) {
      assertThat(OfficialsParser.attendees(java.util.List.of(sentence))).as(sentence)
          .extracting(Official::name).containsExactly("Ab Cd", "Ef Gh");
    }
    assertThat(OfficialsParser.attendees(java.util.List.of(
        "District leader Ab Cd, and the main responsible comrades of relevant departments attended the meeting.")))
        .extracting(Official::name).containsExactly("Ab Cd");
  }
}
