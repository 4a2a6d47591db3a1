package dev.fnmesh.broker.signing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs the records fnmesh writes to its state topics (the mesh's state topic, the cron state topic) with
 * the cluster key, and tells which records read there carry a valid signature: only a process holding the
 * key can change what the mesh runs. A record that does not verify is counted and logged, at most once a
 * minute. Without a key ({@code --insecure}) nothing is signed and everything is accepted. Thread-safe:
 * one per process, shared by all its readers of state topics.
 */
public final class StateSignatures {

  /** The header that carries a record's signature: the HMAC-SHA256 of the record, 32 bytes. */
  public static final String HEADER = "fnmesh-signature";

  private static final Logger LOG = LoggerFactory.getLogger(StateSignatures.class);
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] DOMAIN = "fnmesh-state-v1".getBytes(StandardCharsets.UTF_8);
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Optional<SecretKeySpec> key;
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

  private StateSignatures(Optional<SecretKeySpec> key) {
    this.key = key;
  }

  /** Signs with the key and accepts only records signed with it. */
  public static StateSignatures with(ClusterKey key) {
    return new StateSignatures(Optional.of(new SecretKeySpec(key.secret(), ALGORITHM)));
  }

  /** Signs nothing and accepts every record: for {@code --insecure} without a key. */
  public static StateSignatures none() {
    return new StateSignatures(Optional.empty());
  }

  /** Whether records are signed and checked. */
  public boolean signs() {
    return key.isPresent();
  }

  /** The record with its signature in the {@link #HEADER} header, replacing any there; the record as it is without a key. */
  public ProducerRecord<byte[], byte[]> sign(ProducerRecord<byte[], byte[]> record) {
    if (key.isEmpty()) {
      return record;
    }
    RecordHeaders headers = new RecordHeaders(record.headers());
    headers.remove(HEADER);
    headers.add(HEADER, mac(record.topic(), record.key(), record.value()));
    return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), record.value(),
        headers);
  }

  /**
   * Whether the record may be read: it carries a valid signature, or there is no key. A record that may
   * not is counted in {@link #rejected()} and logged with its topic, partition and offset.
   */
  public boolean verify(ConsumerRecord<byte[], byte[]> record) {
    if (key.isEmpty()) {
      return true;
    }
    Header signature = record.headers().lastHeader(HEADER);
    // Compared in constant time: how long a comparison takes tells nothing of the right signature.
    if (signature != null && signature.value() != null
        && MessageDigest.isEqual(signature.value(), mac(record.topic(), record.key(), record.value()))) {
      return true;
    }
    long total = rejected.incrementAndGet();
    long now = System.nanoTime();
    long next = nextLogNanos.get();
    if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_EVERY_NANOS)) {
      LOG.warn("state record ignored, not signed with this process's cluster key signature={} topic={} partition={}"
          + " offset={} rejectedTotal={} (logged at most once a minute)",
          signature == null ? "missing" : "wrong", record.topic(), record.partition(), record.offset(), total);
    }
    return false;
  }

  /** How many records read did not verify, since this process started. */
  public long rejected() {
    return rejected.get();
  }

  /*
   * The MAC covers the topic, the record key and the value, each preceded by its length (-1 for a null key
   * or value, so that a tombstone differs from an empty value): a signature holds for this key with this
   * value on this topic only, and cannot be moved to another key, another value or the other state topic.
   * Not covered: the partition (each state topic has one) and the offset, so a genuine record written again
   * under its own key still verifies; Kafka ACLs keep others from writing the state topics at all.
   */
  private byte[] mac(String topic, byte[] recordKey, byte[] value) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key.orElseThrow());
      mac.update(DOMAIN);
      field(mac, topic.getBytes(StandardCharsets.UTF_8));
      field(mac, recordKey);
      field(mac, value);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // Every Java runtime has HmacSHA256, and any key bytes are a valid HMAC key.
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
    }
  }

  private static void field(Mac mac, byte[] bytes) {
    mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes == null ? -1 : bytes.length).array());
    if (bytes != null) {
      mac.update(bytes);
    }
  }
}
