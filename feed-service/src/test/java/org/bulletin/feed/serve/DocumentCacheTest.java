package org.bulletin.feed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DocumentCacheTest {
  private static CachedDocument page(int bytes, long seed) {
    byte[] body = new byte[bytes];
    new Random(seed).nextBytes(body); // incompressible: the gzip is as large as the body
    return CachedDocument.of(200, "text/html", body, Instant.EPOCH);
  }

  @Test
  void pagesAreBoundedByTheirBytesNotTheirCount() {
    long max = 1_000_000;
    DocumentCache cache = new DocumentCache(max);
    for (int i = 0; i < 200; i++) {
      cache.putPage("/reports/r" + i, page(1000 + (i % 10) * 10_000, i));
      assertThat(cache.pageBytes()).isLessThanOrEqualTo(max);
    }
    assertThat(cache.get("/reports/r0")).isEmpty();
    assertThat(cache.get("/reports/r199")).isPresent();
  }

  @Test
  void theLeastRecentlyReadPageGoesFirst() {
    CachedDocument doc = page(100_000, 1);
    long one = DocumentCache.size("/reports/a", doc);
    DocumentCache cache = new DocumentCache(one * 2 + 10);
    cache.putPage("/reports/a", doc);
    cache.putPage("/reports/b", page(100_000, 2));
    cache.get("/reports/a");
    cache.putPage("/reports/c", page(100_000, 3));

    assertThat(cache.get("/reports/a")).isPresent();
    assertThat(cache.get("/reports/b")).isEmpty();
    assertThat(cache.get("/reports/c")).isPresent();
  }

  @Test
  void aPageLargerThanTheBudgetIsNotKeptAndEvictsNothing() {
    DocumentCache cache = new DocumentCache(300_000);
    cache.putPage("/reports/small", page(1000, 1));
    cache.putPage("/reports/huge", page(400_000, 2));

    assertThat(cache.get("/reports/huge")).isEmpty();
    assertThat(cache.get("/reports/small")).isPresent();
  }

  @Test
  void replacingAndRemovingPagesKeepsTheCountRight() {
    DocumentCache cache = new DocumentCache(10_000_000);
    cache.putPage("/feeds/all/archive/1", page(5000, 1));
    cache.putPage("/feeds/all/archive/1", page(7000, 2));
    cache.putPage("/reports/x", page(3000, 3));
    cache.removePage("/reports/x");
    cache.clearArchives();
    assertThat(cache.pageBytes()).isZero();
  }

  @Test
  void currentDocumentsBeyondThePinnedBudgetAreCachedLikePagesAndTheMainFeedIsAlwaysPinned() {
    CachedDocument doc = page(10_000, 1);
    long one = DocumentCache.size("/feeds/districts/a.atom", doc);
    // Room for the main feed's document and two district documents.
    DocumentCache cache = new DocumentCache(one * 2 + 100, one * 3 + 100);
    java.util.Map<String, CachedDocument> batch = new java.util.HashMap<>();
    batch.put("/feeds/reports.atom", doc);
    for (String d : java.util.List.of("a", "b", "c", "d")) {
      batch.put("/feeds/districts/" + d + ".atom", page(10_000, d.hashCode()));
    }
    cache.pinAll(batch);

    assertThat(cache.pinnedBytes()).isLessThanOrEqualTo(one * 3 + 100);
    assertThat(cache.unpinnedCount()).isEqualTo(2);
    assertThat(cache.get("/feeds/reports.atom")).isPresent();
    // a and b pinned (path order); c and d in the LRU, still served until evicted.
    assertThat(cache.get("/feeds/districts/c.atom")).isPresent();
    assertThat(cache.pageBytes()).isEqualTo(2 * one);
    cache.putPage("/reports/x", page(10_000, 7));
    cache.putPage("/reports/y", page(10_000, 8));
    assertThat(cache.get("/feeds/districts/a.atom")).as("pinned").isPresent();
    assertThat(cache.get("/feeds/districts/c.atom")).as("evicted like a page").isEmpty();
  }
}
