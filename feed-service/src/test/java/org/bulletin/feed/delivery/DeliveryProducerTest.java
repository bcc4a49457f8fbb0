package org.bulletin.feed.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class DeliveryProducerTest {
  @Test
  void recordsTooLargeAndInvalidTopicsArePermanentTimeoutsAndLeaderChangesAreNot() {
    assertThat(DeliveryProducer.isPermanent(new RecordTooLargeException("1200000 bytes"))).isTrue();
    assertThat(DeliveryProducer.isPermanent(new CompletionException(new InvalidTopicException("bad name")))).isTrue();
    assertThat(DeliveryProducer.isPermanent(new TimeoutException("broker stalled"))).isFalse();
    assertThat(DeliveryProducer.isPermanent(new NotLeaderOrFollowerException("moving"))).isFalse();
  }
}
