package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A mesh running in the test JVM against the shared Kafka fixture, with the helpers the integration tests
 * share: an HTTP client nobody here wrote ({@link HttpClient}) and a reader of a topic's records.
 */
final class TestMesh implements AutoCloseable {

  // The meshes of the tests share one Kafka, and so the cron election: they share the key of its state.
  private static final ClusterKey CLUSTER_KEY = ClusterKey.of(ClusterKey.generateText(), "the tests");

  private final Mesh mesh;
  private final Path meshFile;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestMesh(Mesh mesh, Path meshFile) {
    this.mesh = mesh;
    this.meshFile = meshFile;
  }

  /** The mesh file this mesh runs and watches. */
  Path meshFile() {
    return meshFile;
  }

  static TestMesh start(String meshYaml, long maxBodyBytes) {
    return start(meshYaml, maxBodyBytes, Path.of("../functions"));
  }

  /** A mesh that reads the jars of its functions from {@code functionsDir}. */
  static TestMesh start(String meshYaml, Path functionsDir) {
    return start(meshYaml, IngressSettings.DEFAULT_MAX_BODY_BYTES, functionsDir);
  }

  private static TestMesh start(String meshYaml, long maxBodyBytes, Path functionsDir) {
    return start(meshYaml, new IngressSettings(maxBodyBytes, true, IngressSettings.DEFAULT_MAX_BATCH_EVENTS), functionsDir);
  }

  static TestMesh start(String meshYaml, IngressSettings ingress, Path functionsDir) {
    return start(meshYaml, ingress, functionsDir, HttpPortSettings.loopback(0));
  }

  /** A mesh whose HTTP port is set up as given: an access file, TLS. */
  static TestMesh start(String meshYaml, HttpPortSettings http) {
    return start(meshYaml, IngressSettings.defaults(), Path.of("../functions"), http);
  }

  private static TestMesh start(String meshYaml, IngressSettings ingress, Path functionsDir, HttpPortSettings http) {
    return start(meshYaml, ingress, functionsDir, http, KafkaSettings.of(KafkaFixture.bootstrapServers()));
  }

  /** A mesh whose Kafka clients take these settings, on the shared broker. */
  static TestMesh start(String meshYaml, KafkaSettings kafka) {
    return start(meshYaml, IngressSettings.defaults(), Path.of("../functions"), HttpPortSettings.loopback(0), kafka);
  }

  private static TestMesh start(String meshYaml, IngressSettings ingress, Path functionsDir, HttpPortSettings http,
      KafkaSettings kafka) {
    return start(meshYaml, ingress, functionsDir, http, kafka, Optional.empty(), 1);
  }

  /** A mesh that runs only the named triggers, each at {@code replicas} replicas, unscaled. */
  static TestMesh startOnly(String meshYaml, Set<String> triggers, int replicas) {
    return start(meshYaml, IngressSettings.defaults(), Path.of("../functions"), HttpPortSettings.loopback(0),
        KafkaSettings.of(KafkaFixture.bootstrapServers()), Optional.of(triggers), replicas);
  }

  private static TestMesh start(String meshYaml, IngressSettings ingress, Path functionsDir, HttpPortSettings http,
      KafkaSettings kafka, Optional<Set<String>> onlyTriggers, int replicasEach) {
    try {
      Path file = Files.createTempFile("mesh", ".yaml");
      Files.writeString(file, meshYaml);
      MeshOptions options = new MeshOptions(file, http, 0, Optional.of(kafka),
          Files.createTempDirectory("fnmesh-data"), Path.of("../examples/schemas"), functionsDir, ingress,
          Duration.ofMillis(200), Optional.of(CLUSTER_KEY), false, onlyTriggers, replicasEach, Optional.empty());
      return new TestMesh(Mesh.start(options), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TestMesh start(String meshYaml) {
    return start(meshYaml, IngressSettings.DEFAULT_MAX_BODY_BYTES);
  }

  /** A mesh whose one trigger hands every event of {@code topic} to the echo function, which answers on {@code replies}. */
  static TestMesh startEcho(String topic, int partitions, String replies) {
    return start("""
        functions:
          echo: { java: echo }
        triggers:
          echo:
            kafka: { topic: %s, partitions: %d }
            function: echo
            reply: { topic: %s }
        """.formatted(topic, partitions, replies));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int httpPort() {
    return mesh.httpPort();
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + mesh.httpPort() + path));
  }

  /** Reads the topic from the beginning until {@code count} records arrived or the timeout passed. */
  static List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, int count, Duration timeout) {
    return readRecordsUntil(topic, records -> records.size() >= count, timeout);
  }

  /** Reads the topic from the beginning until what was read satisfies {@code enough} or the timeout passed. */
  static List<ConsumerRecord<byte[], byte[]>> readRecordsUntil(String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> enough, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("reader-" + System.nanoTime()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!enough.test(records) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  static List<CloudEvent> readEvents(String topic, int count, Duration timeout) {
    return readRecords(topic, count, timeout).stream().map(CloudEventRecords::fromRecord).collect(Collectors.toList());
  }

  /** Reads CloudEvents from the topic until every id is among them or the timeout passed. */
  static List<CloudEvent> readEventsWithIds(String topic, Collection<String> ids, Duration timeout) {
    Set<String> wanted = new HashSet<>(ids);
    return readRecordsUntil(topic, records -> records.stream().map(TestMesh::idOf).collect(Collectors.toSet())
        .containsAll(wanted), timeout).stream()
        .map(CloudEventRecords::fromRecord).collect(Collectors.toList());
  }

  /** The event with this id on the topic; fails the test when it did not arrive within the timeout. */
  static CloudEvent readEventWithId(String topic, String id, Duration timeout) {
    return readEventsWithIds(topic, List.of(id), timeout).stream()
        .filter(event -> event.getId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no event with id " + id + " on " + topic + " within " + timeout));
  }

  /** The {@code ce_id} header of a binary-mode record, or null. */
  static String idOf(ConsumerRecord<byte[], byte[]> record) {
    var header = record.headers().lastHeader("ce_id");
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The sum of the topic's end offsets: how many records it ever received. */
  static long recordCount(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("count-" + System.nanoTime()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      return ends.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Override
  public void close() {
    mesh.close();
  }
}
