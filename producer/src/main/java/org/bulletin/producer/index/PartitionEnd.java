package org.bulletin.producer.index;

/** The offset after the last committed record of one partition of the reports topic. */
public record PartitionEnd(int partition, long endOffset) {}
