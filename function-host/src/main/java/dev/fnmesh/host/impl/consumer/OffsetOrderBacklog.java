package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.List;

/** Hands out records in offset order, none held back: ordered and unordered delivery differ only by their cap. */
final class OffsetOrderBacklog implements PartitionBacklog {

  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> records = new ArrayDeque<>();

  @Override
  public void add(List<ConsumerRecord<byte[], byte[]>> fetched) {
    records.addAll(fetched);
  }

  @Override
  public boolean hasNext() {
    return !records.isEmpty();
  }

  @Override
  public ConsumerRecord<byte[], byte[]> next() {
    return records.poll();
  }

  @Override
  public void done(ConsumerRecord<byte[], byte[]> record) {
    // Nothing waits on a record here.
  }

  @Override
  public void clear() {
    records.clear();
  }
}
