package dev.fnmesh.host.runtime;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A consumer interceptor that throws an {@link Error} out of the first poll returning records, once per
 * marker file (the first consumer to delete it dies): a consumer thread dying as it would of a bug or an
 * OutOfMemoryError. Kafka catches an interceptor's exceptions, not its errors.
 */
public final class CrashOnceInterceptor implements ConsumerInterceptor<byte[], byte[]> {

  /** The consumer setting naming the marker file. */
  public static final String MARKER = "fnmesh.test.crash-marker";

  private Path marker;

  @Override
  public void configure(Map<String, ?> configs) {
    marker = Path.of(String.valueOf(configs.get(MARKER)));
  }

  @Override
  public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
    try {
      if (!records.isEmpty() && Files.deleteIfExists(marker)) {
        throw new Error("the consumer thread dies, as the test asked");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
  }

  @Override
  public void close() {
  }
}
