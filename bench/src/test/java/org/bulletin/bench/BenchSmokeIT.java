package org.bulletin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmark's smoke mode: every scenario at tiny sizes, once; it checks the harness, not speed. */
class BenchSmokeIT {
  @Test
  void everyScenarioProducesItsFigures() throws Exception {
    Path root = Path.of(System.getProperty("bulletin.repo.root", ".."));
    List<Figure> figures = BenchMain.run(root, true, 1, Set.of(1, 2, 3, 4, 6, 8, 9, 10, 11));
    assertThat(figures).extracting(Figure::scenario).map(s -> s.substring(0, s.indexOf('.') + 1))
        .contains("1.", "2.", "3.", "4.", "5.", "6.", "8.", "9.", "10.", "11.");
    // The delivery scenarios count what never arrived: at smoke size as at full size, nothing may be lost.
    assertThat(figures).filteredOn(f -> f.name().equals("deliveries lost")).hasSize(4)
        .allSatisfy(f -> assertThat(f.stats().max()).as(f.scenario()).isZero());
    assertThat(figures).allSatisfy(f -> {
      assertThat(f.stats().runs()).hasSize(1);
      assertThat(f.stats().median()).as(f.scenario() + " / " + f.name()).isNotNaN().isGreaterThanOrEqualTo(0);
    });
    assertThat(figures.stream().filter(f -> f.name().contains("requests/s")).mapToDouble(f -> f.stats().median()))
        .allSatisfy(rps -> assertThat(rps).isPositive());
  }
}
