package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotFoundTest {
  @Test
  void browsersGetHtmlAndApiClientsDoNot() {
    assertThat(NotFound.prefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).isTrue();
    assertThat(NotFound.prefersHtml("application/xhtml+xml")).isTrue();
    assertThat(NotFound.prefersHtml("*/*")).isFalse();
    assertThat(NotFound.prefersHtml(null)).isFalse();
    assertThat(NotFound.prefersHtml("application/json")).isFalse();
    assertThat(NotFound.prefersHtml("application/problem+json, text/html;q=0")).isFalse();
  }
}
