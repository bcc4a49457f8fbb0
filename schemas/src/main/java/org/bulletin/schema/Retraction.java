package org.bulletin.schema;

/**
 * Data of a retracted event. The producer follows it with a tombstone for the same key, so the
 * compacted topic forgets the report's body.
 */
public record Retraction(String id, String reason) {}
