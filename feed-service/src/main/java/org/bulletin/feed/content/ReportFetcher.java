package org.bulletin.feed.content;

import java.util.Map;
import org.bulletin.schema.MeetingReport;

/** Reads report versions back from where the topic keeps them. */
public interface ReportFetcher extends AutoCloseable {
  /**
   * @param positions {@link Position#of} codes, any order
   * @return the report at each position found (a position the topic no longer holds is absent)
   */
  Map<Long, MeetingReport> fetch(long[] positions);

  @Override
  void close();
}
