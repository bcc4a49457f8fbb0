package org.bulletin.feed.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FanOutAcksTest {
  private final TopicPartition p0 = new TopicPartition("reports", 0);
  private final TopicPartition p1 = new TopicPartition("reports", 1);
  private final FanOutAcks acks = new FanOutAcks();

  @Test
  void aPollIsCommittableOnlyOnceItsSendsAndEveryEarlierPollsAreAcknowledged() {
    FanOutAcks.Poll first = acks.begin();
    first.offset(p0, 5);
    Callback a = first.callback();
    first.seal();
    FanOutAcks.Poll second = acks.begin();
    second.offset(p0, 9);
    second.offset(p1, 2);
    Callback b = second.callback();
    second.seal();

    b.onCompletion(null, null);
    assertThat(acks.takeAcknowledged()).as("the first poll is still unacknowledged").isEmpty();
    a.onCompletion(null, null);
    assertThat(acks.takeAcknowledged()).containsExactlyInAnyOrderEntriesOf(
        Map.of(p0, new OffsetAndMetadata(9), p1, new OffsetAndMetadata(2)));
    assertThat(acks.takeAcknowledged()).as("nothing new").isEmpty();
    assertThat(acks.unacknowledgedSends()).isZero();
  }

  @Test
  void aPollIsNotAcknowledgedBeforeItIsSealedEvenIfEverySendSoFarIs() {
    FanOutAcks.Poll poll = acks.begin();
    poll.offset(p0, 3);
    poll.callback().onCompletion(null, null);
    assertThat(acks.takeAcknowledged()).isEmpty();
    poll.seal();
    assertThat(acks.takeAcknowledged()).containsEntry(p0, new OffsetAndMetadata(3));
  }

  @Test
  void aPollWithoutSendsIsCommittableOnceSealed() {
    FanOutAcks.Poll poll = acks.begin();
    poll.offset(p1, 7);
    poll.seal();
    assertThat(acks.takeAcknowledged()).containsExactlyEntriesOf(Map.of(p1, new OffsetAndMetadata(7)));
  }

  @Test
  void afterAFailedSendNothingIsCommittableAndTheFailureIsThrown() {
    FanOutAcks.Poll poll = acks.begin();
    poll.offset(p0, 4);
    Callback ok = poll.callback();
    Callback failed = poll.callback();
    poll.seal();
    ok.onCompletion(null, null);
    failed.onCompletion(null, new TimeoutException("expired"));
    assertThat(acks.takeAcknowledged()).isEmpty();
    assertThatThrownBy(acks::throwIfFailed).isInstanceOf(KafkaException.class).hasMessageContaining("expired");
  }

  @Test
  void aFailedCommitIsRetriedWithTheNewestOffsetNeverAnOlderOne() {
    FanOutAcks.Poll first = acks.begin();
    first.offset(p0, 5);
    first.seal();
    Map<TopicPartition, OffsetAndMetadata> committedFirst = acks.takeAcknowledged();
    FanOutAcks.Poll second = acks.begin();
    second.offset(p0, 8);
    second.seal();
    Map<TopicPartition, OffsetAndMetadata> committedSecond = acks.takeAcknowledged();
    assertThat(committedSecond).containsEntry(p0, new OffsetAndMetadata(8));
    acks.recommit(committedFirst); // the first commit's callback reports a failure after the second went out
    assertThat(acks.takeAcknowledged()).containsExactlyEntriesOf(Map.of(p0, new OffsetAndMetadata(8)));
  }

  @Test
  void lostPartitionsAreNeverCommitted() {
    FanOutAcks.Poll poll = acks.begin();
    poll.offset(p0, 4);
    poll.offset(p1, 6);
    poll.seal();
    acks.forget(List.of(p1));
    assertThat(acks.takeAcknowledged()).containsExactlyEntriesOf(Map.of(p0, new OffsetAndMetadata(4)));
  }
}
