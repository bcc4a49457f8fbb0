package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EndpointOwnershipTest {
  private static final String TASKS = "tasks";

  private static List<String> endpointIds() {
    List<String> ids = new ArrayList<>(List.of("", "sub_1", "Zhongyuan 中原区", "https://aggregator.example/cb?x=1"));
    for (int i = 0; i < 500; i++) {
      ids.add("sub_" + UUID.randomUUID().toString().replace("-", ""));
    }
    return ids;
  }

  @Test
  void theEndpointsPartitionIsTheOneTheProducersBuiltInPartitionerPicksForItsKey() {
    try (StringSerializer serializer = new StringSerializer()) {
      for (String id : endpointIds()) {
        for (int partitions = 1; partitions <= 13; partitions++) {
          assertThat(EndpointOwnership.partitionOf(id, partitions)).as(id + " of " + partitions)
              .isEqualTo(BuiltInPartitioner.partitionForKey(serializer.serialize(TASKS, id), partitions));
        }
      }
    }
  }

  @Test
  void anInstanceOwnsTheEndpointsOfItsTasksPartitionsNotThoseOfItsRetryTierPartitions() {
    EndpointOwnership ownership = new EndpointOwnership(TASKS);
    ownership.partitions(3);
    // The same partition numbers of a retry tier say nothing about which endpoints are this instance's.
    ownership.assigned(Set.of(new TopicPartition(TASKS, 0), new TopicPartition("retry-5s", 1),
        new TopicPartition("retry-5s", 2)));
    for (String id : endpointIds()) {
      assertThat(ownership.owns(id)).as(id).isEqualTo(EndpointOwnership.partitionOf(id, 3) == 0);
    }
  }

  @Test
  void anInstanceOwningEveryTasksPartitionOwnsEveryEndpoint() {
    EndpointOwnership ownership = new EndpointOwnership(TASKS);
    ownership.partitions(2);
    ownership.assigned(Set.of(new TopicPartition(TASKS, 0), new TopicPartition(TASKS, 1)));
    assertThat(endpointIds()).allMatch(ownership::owns);
  }

  @Test
  void whileThePartitionCountIsUnknownRetriesAreAttemptedHereNotHeldUp() {
    EndpointOwnership ownership = new EndpointOwnership(TASKS);
    ownership.assigned(Set.of());
    assertThat(ownership.known()).isFalse();
    assertThat(endpointIds()).allMatch(ownership::owns);
    ownership.partitions(4);
    assertThat(ownership.known()).isTrue();
    assertThat(endpointIds()).noneMatch(ownership::owns);
  }
}
