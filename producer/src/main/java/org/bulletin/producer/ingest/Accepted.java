package org.bulletin.producer.ingest;

import org.bulletin.schema.EventType;

/** A report event Kafka acknowledged: where it is and how to refer to it. */
public record Accepted(String reportId, String eventId, EventType type, int partition, long offset) {}
