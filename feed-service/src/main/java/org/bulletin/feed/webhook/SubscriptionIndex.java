package org.bulletin.feed.webhook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bulletin.schema.ReportFacets;

/**
 * The enabled subscriptions, indexed by the filter that narrows each most, so that matching an
 * event costs about as much as the subscriptions it matches rather than all of them. Each
 * subscription sits under one dimension only: its districts if it has any, else its tags, else its
 * types, else in the unfiltered bucket. {@link #matching} then checks every candidate with
 * {@link Subscription.Filters#accepts}, so the result is exactly what a scan of all would give;
 * the index only has to never leave a match out. Immutable: a snapshot, safe on any thread.
 */
final class SubscriptionIndex {
  static final SubscriptionIndex EMPTY = new SubscriptionIndex(List.of());

  private final List<Subscription> all;
  private final List<Subscription> unfiltered = new ArrayList<>();
  private final Map<String, List<Subscription>> byType = new HashMap<>();
  private final Map<String, List<Subscription>> byDistrict = new HashMap<>();
  private final Map<String, List<Subscription>> byTag = new HashMap<>();

  /** @param enabled the enabled subscriptions */
  SubscriptionIndex(Collection<Subscription> enabled) {
    this.all = List.copyOf(enabled);
    for (Subscription s : all) {
      Subscription.Filters f = s.filters();
      if (!f.districts().isEmpty()) {
        for (String d : f.districts()) {
          add(byDistrict, districtKey(d), s);
        }
      } else if (!f.tags().isEmpty()) {
        for (String t : f.tags()) {
          add(byTag, t, s);
        }
      } else if (!f.types().isEmpty()) {
        for (String t : f.types()) {
          add(byType, t, s);
        }
      } else {
        unfiltered.add(s);
      }
    }
  }

  private static void add(Map<String, List<Subscription>> bucket, String key, Subscription s) {
    List<Subscription> list = bucket.computeIfAbsent(key, k -> new ArrayList<>());
    if (list.isEmpty() || list.get(list.size() - 1) != s) { // a filter may name a value twice
      list.add(s);
    }
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  int size() {
    return all.size();
  }

  /**
   * The subscriptions whose filters accept an event of this type about a report with these facets
   * ({@code null}: unknown, which district and tag filters let through), each once.
   */
  List<Subscription> matching(String type, ReportFacets facets) {
    if (facets == null) {
      return accepted(all, type, null); // rare (old retractions): only the type filter applies
    }
    List<Subscription> out = new ArrayList<>();
    out.addAll(accepted(unfiltered, type, facets));
    out.addAll(accepted(byType.getOrDefault(type, List.of()), type, facets));
    if (facets.district() != null) {
      out.addAll(accepted(byDistrict.getOrDefault(districtKey(facets.district()), List.of()), type, facets));
    }
    List<String> tags = facets.tags();
    if (tags.size() == 1) {
      out.addAll(accepted(byTag.getOrDefault(tags.get(0), List.of()), type, facets));
    } else if (tags.size() > 1) {
      // A subscription with several of the event's tags sits in several of these buckets.
      Set<Subscription> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (String t : tags) {
        for (Subscription s : byTag.getOrDefault(t, List.of())) {
          if (seen.add(s) && s.filters().accepts(type, facets)) {
            out.add(s);
          }
        }
      }
    }
    return out;
  }

  private static List<Subscription> accepted(List<Subscription> candidates, String type, ReportFacets facets) {
    List<Subscription> out = new ArrayList<>(candidates.size());
    for (Subscription s : candidates) {
      if (s.filters().accepts(type, facets)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * A key under which every two districts that {@link String#equalsIgnoreCase} calls equal meet:
   * each char folded as it compares chars, surrogates (compared by code point there) all alike.
   * Coarser than the comparison at worst; {@code accepts} decides.
   */
  static String districtKey(String district) {
    char[] out = new char[district.length()];
    for (int i = 0; i < out.length; i++) {
      char c = district.charAt(i);
      out[i] = Character.isSurrogate(c) ? '\uFFFF' : Character.toLowerCase(Character.toUpperCase(c));
    }
    return new String(out);
  }
}
