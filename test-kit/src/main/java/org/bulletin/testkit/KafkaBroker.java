package org.bulletin.testkit;

/** The broker an integration test talks to. */
public interface KafkaBroker {
  String bootstrapServers();

  /** "local" or "testcontainers". */
  String kind();
}
