package org.bulletin.producer.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.bulletin.producer.ingest.ReportInputException;
import org.bulletin.schema.EventJson;
import org.bulletin.schema.MeetingReport;
import org.bulletin.schema.Official;
import org.bulletin.schema.SchemaValidator;
import org.junit.jupiter.api.Test;

/** Every bundled sample, field by field. */
class ArticleExtractorTest {
  private final ArticleExtractor extractor = new ArticleExtractor();

  private MeetingReport extract(String sample) throws Exception {
    Path file = Path.of(System.getProperty("bulletin.repo.root", "..")).resolve("samples").resolve(sample);
    MeetingReport report = extractor.extract(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(SchemaValidator.meetingReport().validate(EventJson.mapper().valueToTree(report)))
        .as("extracted report is valid").isEmpty();
    return report;
  }

  @Test
  void sharedSampleHuijiEconomicOperationMeeting() throws Exception {
    MeetingReport r = extract("huiji-economic-operation-meeting.txt");
    assertThat(r.title()).isEqualTo("Huiji district held economic operation analysis meeting");
    assertThat(r.id()).isEqualTo("2022-04-27-huiji-district-held-economic-operation-analysis-meeting");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2022, 4, 27));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2022, 3, 23));
    assertThat(r.district()).isEqualTo("Huiji District");
    assertThat(r.presider()).isEqualTo(new Official("Wei Dong", "secretary of the District Party Committee"));
    assertThat(r.attendees()).extracting(Official::name).containsExactly("Zhao Minxiang", "Li Yunyan",
        "Li Xiaofeng", "Zhan Xiaoya", "Ma Dongliang", "Sui Minmin", "Zheng Jianming");
    assertThat(r.attendees()).extracting(Official::role).containsOnlyNulls();
    assertThat(r.source()).isEqualTo("Website of Huiji District People’s Government");
    assertThat(r.body()).hasSize(1);
    assertThat(r.body().get(0))
        .startsWith("On March 23, Wei Dong, secretary of the District Party Committee, presided over")
        .contains("first quarter. On the meeting")
        .endsWith("Zheng Jianming attended the meeting.")
        .doesNotContain("Source:");
    assertThat(r.summary()).startsWith("On March 23, Wei Dong").endsWith("…").hasSizeLessThanOrEqualTo(300);
    assertThat(r.tags()).contains("economy", "investment", "public-health", "business-environment");
    assertThat(r.sourceUrl()).isNull();
  }

  @Test
  void presiderIsTheOneWhoPresidedNotTheSpeakerWhoAttended() throws Exception {
    MeetingReport r = extract("jinshui-urban-renewal-conference.txt");
    assertThat(r.title()).isEqualTo("Jinshui District convenes work conference on urban renewal");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2023, 6, 15));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2023, 6, 12));
    assertThat(r.district()).isEqualTo("Jinshui District");
    assertThat(r.presider())
        .isEqualTo(new Official("Zhang Min", "deputy secretary of the District Committee and district head"));
    assertThat(r.attendees()).containsExactly(
        new Official("Li Hua", "secretary of the Municipal Party Committee"),
        Official.named("Wang Lei"), Official.named("Chen Jing"), Official.named("Liu Yang"));
    assertThat(r.source()).isEqualTo("Jinshui District Government Portal");
    assertThat(r.body()).hasSize(4);
    assertThat(r.summary()).isEqualTo(
        "On June 12, Li Hua, secretary of the Municipal Party Committee, attended the meeting and delivered a speech.");
    assertThat(r.tags()).containsExactly("urban-development");
  }

  @Test
  void sameSentencePresidedAfterAttendedAndSpoke() throws Exception {
    MeetingReport r = extract("xinzheng-investment-promotion-meeting.txt");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2023, 11, 9));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2023, 11, 7));
    assertThat(r.district()).isEqualTo("Xinzheng County");
    assertThat(r.presider()).isEqualTo(
        new Official("Ma Lin", "deputy secretary of the County Party Committee and county head"));
    assertThat(r.attendees()).containsExactly(
        new Official("Zhou Jie", "secretary of the County Party Committee"),
        Official.named("Du Wei"), Official.named("Qin Yue"), Official.named("Lu Ping"), Official.named("Shi Lei"));
    assertThat(r.source()).isEqualTo("Website of Xinzheng County People’s Government");
    assertThat(r.tags()).contains("investment", "technology", "consumption");
  }

  @Test
  void passivePresiderWrittenDateAndMissingSourceLine() throws Exception {
    MeetingReport r = extract("erqi-flood-prevention-meeting.txt");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2024, 3, 5));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2024, 2, 28));
    assertThat(r.district()).isEqualTo("Erqi District");
    assertThat(r.presider()).isEqualTo(new Official("Sun Li", "district head of Erqi District"));
    assertThat(r.attendees()).extracting(Official::name).containsExactly("Gao Feng", "Xu Qing", "Tian Ye");
    assertThat(r.source()).isNull();
    assertThat(r.body()).hasSize(3);
    assertThat(r.tags()).contains("emergency-management");
  }

  @Test
  void meetingInDecemberReportedInJanuaryBelongsToThePreviousYear() throws Exception {
    MeetingReport r = extract("zhongyuan-year-end-review.txt");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2024, 1, 3));
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2023, 12, 28));
    assertThat(r.district()).isEqualTo("Zhongyuan District");
    assertThat(r.presider()).isEqualTo(Official.named("Chen Rui"));
    assertThat(r.attendees()).extracting(Official::name).containsExactly("Hu Bo", "Guo Ting", "Yang Fan");
    assertThat(r.source()).isEqualTo("Zhongyuan Daily");
    assertThat(r.body()).hasSize(4);
    assertThat(r.body().get(3)).isEqualTo("Deputy District Heads Hu Bo, Guo Ting, Yang Fan also attended the meeting.");
    assertThat(r.tags()).contains("agriculture", "education");
  }

  @Test
  void noticeWithoutMeetingLeavesPeopleAndMeetingDateEmpty() throws Exception {
    MeetingReport r = extract("guancheng-environment-notice.txt");
    assertThat(r.publishedDate()).isEqualTo(LocalDate.of(2023, 10, 9));
    assertThat(r.meetingDate()).isNull();
    assertThat(r.district()).isEqualTo("Guancheng District");
    assertThat(r.presider()).isNull();
    assertThat(r.attendees()).isEmpty();
    assertThat(r.source()).isNull();
    assertThat(r.tags()).containsExactly("environment");
  }

  @Test
  void chairedAndTwoNameListJoinedByAnd() throws Exception {
    MeetingReport r = extract("huiji-epidemic-prevention-meeting.txt");
    assertThat(r.meetingDate()).isEqualTo(LocalDate.of(2022, 5, 9));
    assertThat(r.presider()).isEqualTo(new Official("Wei Dong", "secretary of the District Party Committee"));
    assertThat(r.attendees()).extracting(Official::name).containsExactly("Zhao Minxiang", "Li Yunyan");
    assertThat(r.body().get(0)).contains("running. Ding Wenxia").contains("work. The meeting");
  }

  @Test
  void rejectsTextThatIsNotAnArticle() {
    assertThatThrownBy(() -> extractor.extract("   \n\n"))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.code()).isEqualTo("empty-document"));
    assertThatThrownBy(() -> extractor.extract("Only a title"))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.code()).isEqualTo("not-an-article"));
    assertThatThrownBy(() -> extractor.extract("A title\nno date here\nbody"))
        .isInstanceOfSatisfying(ReportInputException.class, e -> {
          assertThat(e.code()).isEqualTo("not-an-article");
          assertThat(e.getMessage()).contains("publication date");
        });
    assertThatThrownBy(() -> extractor.extract("A title\n2024-01-01\n"))
        .isInstanceOfSatisfying(ReportInputException.class, e -> assertThat(e.getMessage()).contains("no body"));
  }

  @Test
  void listFormsAreAllRecognized() {
    assertThat(OfficialsParser.nameList("Ab Cd, De Fg and Hi Jk")).extracting(Official::name)
        .containsExactly("Ab Cd", "De Fg", "Hi Jk");
    assertThat(OfficialsParser.nameList("District leaders Ab Cd, Ef Gh, Ij Kl")).extracting(Official::name)
        .containsExactly("Ab Cd", "Ef Gh", "Ij Kl");
    assertThat(OfficialsParser.nameList("Ab Cd, Ef Gh, and Ij Kl")).hasSize(3);
    assertThat(OfficialsParser.nameList("Ab Cd, secretary of the Party Committee")).isEmpty();
  }
}
