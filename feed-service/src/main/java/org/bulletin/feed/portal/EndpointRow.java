package org.bulletin.feed.portal;

import java.util.ArrayList;
import java.util.List;
import org.bulletin.feed.webhook.Subscription;

/** One endpoint as the pages show it: the subscription, its state in words, its last day. */
public record EndpointRow(Subscription subscription, EndpointStats stats) {
  /** enabled, failing, or disabled: also the value of the list's state filter. */
  public String state() {
    if (!subscription.enabled()) {
      return "disabled";
    }
    return stats.failingSince() != null ? "failing" : "enabled";
  }

  public String stateText() {
    return switch (state()) {
      case "disabled" -> "Disabled" + (subscription.disabledReason() == null ? ""
          : ": " + subscription.disabledReason());
      case "failing" -> "Enabled, failing since " + Moments.shown(stats.failingSince());
      default -> "Enabled";
    };
  }

  /** Which events it receives, in words. */
  public String filtersText() {
    Subscription.Filters f = subscription.filters();
    List<String> parts = new ArrayList<>();
    parts.add(f.types().isEmpty() ? "all event types" : String.join(", ", f.types()));
    parts.add(f.districts().isEmpty() ? "every district" : "districts: " + String.join(", ", f.districts()));
    parts.add(f.tags().isEmpty() ? "every topic" : "topics: " + String.join(", ", f.tags()));
    return String.join("; ", parts);
  }

  public String title() {
    String d = subscription.description();
    return d == null || d.isBlank() ? subscription.url() : d;
  }
}
