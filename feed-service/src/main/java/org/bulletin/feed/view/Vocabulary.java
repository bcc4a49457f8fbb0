package org.bulletin.feed.view;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every district and tag seen in the reports topic, by slug, for checking subscription filters.
 * Every instance reads the same topic, so every instance knows the same values. Written by the
 * view thread when a report brings a new district or tag; read by any thread. As many entries as
 * the view has district and tag feeds (it keeps a feed for each).
 */
public final class Vocabulary {
  private final Map<String, String> districts = new ConcurrentHashMap<>();
  private final Map<String, String> tags = new ConcurrentHashMap<>();

  void addDistrict(String name) {
    districts.putIfAbsent(FeedKey.slugOfUntrusted(name), name);
  }

  void addTag(String tag) {
    tags.putIfAbsent(FeedKey.slugOfUntrusted(tag), tag);
  }

  /** The district as reports name it, for a name or slug in any case. */
  public Optional<String> district(String nameOrSlug) {
    return Optional.ofNullable(districts.get(FeedKey.slugOfUntrusted(nameOrSlug)));
  }

  /** The tag as reports carry it (a lowercase slug), for a tag in any case or spelled as words. */
  public Optional<String> tag(String nameOrSlug) {
    return Optional.ofNullable(tags.get(FeedKey.slugOfUntrusted(nameOrSlug)));
  }

  /** Every known district, sorted. */
  public List<String> districts() {
    return districts.values().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
  }

  /** Every known tag, sorted. */
  public List<String> tags() {
    return tags.values().stream().sorted().toList();
  }
}
