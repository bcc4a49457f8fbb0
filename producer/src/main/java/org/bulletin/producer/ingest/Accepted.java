package org.bulletin.producer.ingest;

import org.bulletin.schema.EventType;

/**
 * A report event Kafka acknowledged: where it is and how to refer to it.
 *
 * @param unchanged nothing was written: the report already is in this state (identical content,
 *     or already retracted); partition and offset are then those of its current version
 */
public record Accepted(String reportId, String eventId, EventType type, int partition, long offset, boolean unchanged) {}
