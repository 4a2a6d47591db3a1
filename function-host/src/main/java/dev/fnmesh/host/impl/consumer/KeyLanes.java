package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The backlog of one partition under {@code ordering: key}: a lane per key holding its records in offset
 * order. Only the head of a lane may be out, so events of one key are handled one after another, retries
 * included (a record is out until its delivery ends), while other keys go on. Ready heads are handed out
 * lowest offset first, which lets the committable prefix grow as soon as it can. A lane exists only while it
 * holds records, so memory follows the records fetched, which the consumer's back-pressure already bounds.
 */
final class KeyLanes implements PartitionBacklog {

  private final Function<ConsumerRecord<byte[], byte[]>, Object> keys;
  private final Map<Object, Lane> lanes = new HashMap<>();
  // Lanes whose head may go now, by the head's offset. A lane's head never changes while it is in here.
  private final PriorityQueue<Lane> ready = new PriorityQueue<>(Comparator.comparingLong(Lane::headOffset));
  // Keyed by identity: two fetches of one offset (after a rebalance) are different deliveries.
  private final Map<ConsumerRecord<byte[], byte[]>, Lane> out = new IdentityHashMap<>();

  /** @param keys a record's ordering key; records with equal keys share a lane */
  KeyLanes(Function<ConsumerRecord<byte[], byte[]>, Object> keys) {
    this.keys = keys;
  }

  @Override
  public void add(List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Object key = keys.apply(record);
      Lane lane = lanes.get(key);
      if (lane == null) {
        lane = new Lane(key);
        lanes.put(key, lane);
        lane.records.add(record);
        ready.add(lane);
      } else {
        lane.records.add(record);
      }
    }
  }

  @Override
  public boolean hasNext() {
    return !ready.isEmpty();
  }

  @Override
  public ConsumerRecord<byte[], byte[]> next() {
    Lane lane = ready.poll();
    if (lane == null) {
      return null;
    }
    ConsumerRecord<byte[], byte[]> head = lane.records.peek();
    out.put(head, lane);
    return head;
  }

  @Override
  public void done(ConsumerRecord<byte[], byte[]> record) {
    Lane lane = out.remove(record);
    if (lane == null) {
      return;
    }
    lane.records.poll();
    if (lane.records.isEmpty()) {
      lanes.remove(lane.key);
    } else {
      ready.add(lane);
    }
  }

  @Override
  public void clear() {
    lanes.clear();
    ready.clear();
    out.clear();
  }

  /** Keys with records waiting or out: a measure of the parallelism the backlog offers. */
  int keys() {
    return lanes.size();
  }

  private static final class Lane {
    final Object key;
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> records = new ArrayDeque<>();

    Lane(Object key) {
      this.key = key;
    }

    long headOffset() {
      return records.peek().offset();
    }
  }
}
