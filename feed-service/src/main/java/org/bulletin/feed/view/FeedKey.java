package org.bulletin.feed.view;

import java.text.Normalizer;
import java.util.Locale;

/** One feed: all reports, one district's, or one tag's. */
public record FeedKey(Kind kind, String slug, String label) implements Comparable<FeedKey> {
  public enum Kind { ALL, DISTRICT, TAG }

  public static final FeedKey ALL = new FeedKey(Kind.ALL, "reports", "All reports");

  public static FeedKey district(String name) {
    return new FeedKey(Kind.DISTRICT, slug(name), name);
  }

  public static FeedKey tag(String tag) {
    return new FeedKey(Kind.TAG, tag, tag);
  }

  /** Path without extension: {@code /feeds/reports}, {@code /feeds/districts/huiji-district}. */
  public String basePath() {
    return switch (kind) {
      case ALL -> "/feeds/reports";
      case DISTRICT -> "/feeds/districts/" + slug;
      case TAG -> "/feeds/tags/" + slug;
    };
  }

  public static String slug(String text) {
    return SLUGS.computeIfAbsent(text, FeedKey::computeSlug);
  }

  /** The slug of text from outside (a filter value): not cached, so such text cannot grow the cache. */
  public static String slugOfUntrusted(String text) {
    return computeSlug(text);
  }

  // Few distinct districts and tags, looked up on every change: normalizing each time showed in profiles.
  private static final java.util.Map<String, String> SLUGS = new java.util.concurrent.ConcurrentHashMap<>();

  private static String computeSlug(String text) {
    String ascii = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
  }

  @Override
  public int compareTo(FeedKey o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : slug.compareTo(o.slug);
  }
}
