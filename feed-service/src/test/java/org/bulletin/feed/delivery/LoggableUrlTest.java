package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggableUrlTest {
  @Test
  void aTokenInTheQueryOrUserInfoNeverReachesTheLog() {
    assertThat(LoggableUrl.of("http://127.0.0.1:28190/gone2?access_token=PartnerUrlSecret123"))
        .isEqualTo("http://127.0.0.1:28190/gone2?…");
    assertThat(LoggableUrl.of("https://user:pw@hooks.example/in#frag")).isEqualTo("https://…@hooks.example/in");
    assertThat(LoggableUrl.of("https://hooks.example/a@b")).as("an @ in the path is not user info")
        .isEqualTo("https://hooks.example/a@b");
    assertThat(LoggableUrl.of("https://hooks.example/in")).isEqualTo("https://hooks.example/in");
    assertThat(LoggableUrl.of("https://user:p@ss@hooks.example/in")).isEqualTo("https://…@hooks.example/in");
    assertThat(LoggableUrl.of("https://user:p@ss@hooks.example")).isEqualTo("https://…@hooks.example");
  }
}
