package org.bulletin.feed.websub;

/** Whether this instance is the one distributor, and what was distributed last per topic. Any thread. */
public interface Leadership {
  /** True while this instance distributes. */
  boolean leader();

  /** What was last distributed for a topic URL, or null; complete once {@link #leader()}. */
  DistributionMarker distributed(String topicUrl);

  /** Notes this instance's own record of a distribution at once (it is read back later too). */
  void wrote(String topicUrl, DistributionMarker marker);
}
