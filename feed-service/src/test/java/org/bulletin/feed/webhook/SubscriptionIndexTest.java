package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.bulletin.schema.ReportFacets;
import org.junit.jupiter.api.Test;

/**
 * The index must give exactly what the old scan of every enabled subscription gave
 * ({@code filters().accepts} on each): checked on many random subscriptions and events, seeded so
 * that a failure can be replayed.
 */
class SubscriptionIndexTest {
  private static final List<String> TYPES = List.of("published", "corrected", "retracted", "unknown");
  /** Case variants and characters whose case rules are odd (Greek sigma, Kelvin sign, dotted I, Deseret). */
  private static final List<String> DISTRICTS = List.of("Huiji District", "huiji district", "HUIJI DISTRICT",
      "Erqi District", "Erqi", "µ district", "Μ DISTRICT", "μ district", "ÿ", "Ÿ", "İ", "i", "I", "ı", "\u212A", "k",
      "K", "ß", "SS", "ǅ", "ǆ", "Ǆ", "σς", "ΣΣ", "\uD801\uDC00", "\uD801\uDC28", "\uD801", "x\uDC00", "");
  private static final List<String> TAGS = List.of("economy", "investment", "environment", "health", "roads",
      "Economy", "e", "ec");

  @Test
  void matchesExactlyWhatAScanOfAllSubscriptionsAccepts() {
    for (long seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      List<Subscription> enabled = new ArrayList<>();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        enabled.add(subscription("s" + i, randomFilters(random)));
      }
      SubscriptionIndex index = new SubscriptionIndex(enabled);
      for (int e = 0; e < 200; e++) {
        String type = pick(random, TYPES);
        ReportFacets facets = randomFacets(random);
        assertThat(index.matching(type, facets)).as("seed %d, event %s %s", seed, type, facets)
            .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(scan(enabled, type, facets));
      }
    }
  }

  @Test
  void theStoresIndexFollowsEveryChangeAndLeavesDisabledSubscriptionsOut() {
    Random random = new Random(42);
    SubscriptionStore store = new SubscriptionStore();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int step = 0; step < 2_000; step++) {
      String id = "s" + random.nextInt(40);
      t = t.plusSeconds(1);
      switch (random.nextInt(4)) {
        case 0 -> store.apply(id, null);
        case 1 -> store.apply(id, subscription(id, randomFilters(random)).withState(false, "by request", t));
        default -> store.apply(id, withUpdatedAt(subscription(id, randomFilters(random)), t));
      }
      if (random.nextInt(5) == 0) {
        continue; // several changes between two batches, as when the tailer applies many records
      }
      String type = pick(random, TYPES);
      ReportFacets facets = randomFacets(random);
      assertThat(store.index().matching(type, facets)).as("step %d", step)
          .containsExactlyInAnyOrderElementsOf(scan(store.enabled(), type, facets));
      assertThat(store.index().isEmpty()).isEqualTo(store.enabled().isEmpty());
    }
  }

  @Test
  void anEventAboutOneDistrictLooksOnlyAtThatDistrictsSubscriptionsAndTheUnfilteredOnes() {
    List<Subscription> enabled = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      enabled.add(subscription("d" + i, new Subscription.Filters(null, List.of("District " + i), null)));
    }
    Subscription all = subscription("all", new Subscription.Filters(null, null, null));
    enabled.add(all);
    SubscriptionIndex index = new SubscriptionIndex(enabled);
    assertThat(index.matching("published", new ReportFacets("district 7", List.of())))
        .containsExactlyInAnyOrder(enabled.get(7), all);
    assertThat(index.matching("published", new ReportFacets("District 1000", List.of()))).containsExactly(all);
    assertThat(index.matching("retracted", null)).hasSize(1_001); // facets unknown: district filters let it through
  }

  private static List<Subscription> scan(Collection<Subscription> enabled, String type, ReportFacets facets) {
    return enabled.stream().filter(s -> s.filters().accepts(type, facets)).toList();
  }

  private static Subscription.Filters randomFilters(Random random) {
    return new Subscription.Filters(some(random, TYPES, 3), some(random, DISTRICTS, 3), some(random, TAGS, 3));
  }

  private static ReportFacets randomFacets(Random random) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    String district = random.nextInt(6) == 0 ? null : pick(random, DISTRICTS);
    return new ReportFacets(district, some(random, TAGS, 4).stream().distinct().toList());
  }

  /** Empty half of the time (no filter), else up to {@code max} values, repeats possible. */
  private static List<String> some(Random random, List<String> pool, int max) {
    List<String> out = new ArrayList<>();
    if (random.nextBoolean()) {
      int k = 1 + random.nextInt(max);
      for (int i = 0; i < k; i++) {
        out.add(pick(random, pool));
      }
    }
    return out;
  }

  private static String pick(Random random, List<String> pool) {
    return pool.get(random.nextInt(pool.size()));
  }

  private static Subscription subscription(String id, Subscription.Filters filters) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    return new Subscription(id, null, "https://example.test/" + id, null, filters, true, null, false,
        List.of(new Subscription.SigningSecret("secret", null)), null, at, at);
  }

  private static Subscription withUpdatedAt(Subscription s, Instant at) {
    return new Subscription(s.id(), s.partnerId(), s.url(), s.description(), s.filters(), true, s.rateLimit(),
        s.ordered(), s.secrets(), null, s.createdAt(), at);
  }
}
