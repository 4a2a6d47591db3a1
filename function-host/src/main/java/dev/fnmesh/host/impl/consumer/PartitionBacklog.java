package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * The fetched records of one partition not yet handed to {@link EventDelivery}, and which of them may go
 * next under the trigger's ordering. The dispatcher caps how many are out at once; a backlog only decides
 * which. Confined to the trigger's context.
 */
interface PartitionBacklog {

  /** Appends records fetched in offset order. */
  void add(List<ConsumerRecord<byte[], byte[]>> records);

  /** Whether a record may be handled now: one waits that nothing holds back. */
  boolean hasNext();

  /** @return the record that may be handled now, or null when none may: nothing waits, or only records held back */
  ConsumerRecord<byte[], byte[]> next();

  /** A record handed out by {@link #next} was handled: what it held back may go. Ignored after {@link #clear}. */
  void done(ConsumerRecord<byte[], byte[]> record);

  /** Drops every waiting record: the partition went to another replica, which reads them again. */
  void clear();
}
