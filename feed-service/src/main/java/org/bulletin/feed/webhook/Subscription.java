package org.bulletin.feed.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulletin.schema.ReportFacets;

/**
 * A partner endpoint and what it wants. Kept in the compacted subscriptions topic (key = id).
 *
 * @param partnerId the partner that owns it; {@code null} for one created by an admin for no
 *     partner (such as every subscription made before partners existed): visible to admins only
 * @param secrets the current signing secret first; older ones stay until their grace ends
 * @param rateLimit most deliveries per second, or {@code null} for no limit
 * @param ordered deliver in publication order, one at a time
 * @param disabledReason why it was disabled (410, failing too long, by request), else {@code null}
 */
public record Subscription(
    String id,
    String partnerId,
    String url,
    String description,
    Filters filters,
    boolean enabled,
    Integer rateLimit,
    boolean ordered,
    List<SigningSecret> secrets,
    String disabledReason,
    Instant createdAt,
    Instant updatedAt) {

  /** Which events: an empty list accepts all. */
  public record Filters(List<String> types, List<String> districts, List<String> tags) {
    public Filters {
      types = types == null ? List.of() : List.copyOf(types);
      districts = districts == null ? List.of() : List.copyOf(districts);
      tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * @param facets district and tags of the report the event is about (they travel with the
     *     event), or {@code null} when unknown, as for a retraction written before events carried
     *     them: then district and tag filters let it through, since a partner would rather hear
     *     of a retraction it cannot place than miss one
     */
    public boolean accepts(String type, ReportFacets facets) {
      if (!types.isEmpty() && !types.contains(type)) {
        return false;
      }
      if (facets == null) {
        return true;
      }
      if (!districts.isEmpty() && (facets.district() == null || districts.stream()
          .noneMatch(d -> d.equalsIgnoreCase(facets.district())))) {
        return false;
      }
      return tags.isEmpty() || facets.tags().stream().anyMatch(tags::contains);
    }
  }

  /** A signing secret; {@code expiresAt} is null for the current one. */
  public record SigningSecret(String secret, Instant expiresAt) {}

  /** The secrets to sign with at {@code now}: the current one and any still in grace. */
  public List<String> activeSecrets(Instant now) {
    List<String> out = new ArrayList<>();
    for (SigningSecret s : secrets) {
      if (s.expiresAt() == null || s.expiresAt().isAfter(now)) {
        out.add(s.secret());
      }
    }
    return out;
  }

  public Subscription withState(boolean enabled, String disabledReason, Instant now) {
    return new Subscription(id, partnerId, url, description, filters, enabled, rateLimit, ordered, secrets, disabledReason,
        createdAt, now);
  }
}
