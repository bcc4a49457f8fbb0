package org.bulletin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scenario 7 at smoke size: it checks the harness and that a 256 MB feed service stays up, not speed. */
class HostileEndpointsScenarioIT {
  @Test
  void aFeedServiceWithA256MbHeapStaysReadyBesideEveryHostileEndpoint() throws Exception {
    Path root = Path.of(System.getProperty("bulletin.repo.root", ".."));
    List<Figure> figures = BenchMain.run(root, true, 1, Set.of(7));
    assertThat(figures).extracting(Figure::name).containsExactly("healthy deliveries/s, relative",
        "healthy p99 publish to first attempt, relative", "feed GET p99 while delivering, relative", "ready throughout");
    assertThat(figures).allSatisfy(f -> assertThat(f.stats().median()).as(f.name()).isPositive().isFinite());
    assertThat(figures.get(3).met()).as("ready throughout, never out of memory").isTrue();
  }
}
