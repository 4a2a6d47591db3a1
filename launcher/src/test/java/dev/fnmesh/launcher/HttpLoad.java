package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP clients publishing events to a topic without a pause, one request at a time each, as the fault tests
 * put a mesh under load; every answer is kept with how long it took, so that what was acknowledged (202) can be
 * looked up among the replies afterwards.
 */
final class HttpLoad {

  /** One request: its event id, its HTTP status (-1 when no answer came) and how long the answer took. */
  record Answer(String id, int status, long tookNanos) {}

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI topic;
  private final String prefix;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger acknowledged = new AtomicInteger();
  // Start instants of the requests waiting for their answer now, by client.
  private final Map<Integer, Long> waitingSince = new ConcurrentHashMap<>();
  private volatile boolean publishing = true;

  private HttpLoad(URI topic, String prefix) {
    this.topic = topic;
    this.prefix = prefix;
  }

  /** Starts {@code clients} clients publishing to {@code topic}, event ids starting with {@code prefix}. */
  static HttpLoad start(URI topic, String prefix, int clients) {
    HttpLoad load = new HttpLoad(topic, prefix);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = new Thread(() -> load.publish(client), "http-load-" + prefix + "-" + c);
      thread.setDaemon(true);
      thread.start();
      load.threads.add(thread);
    }
    return load;
  }

  int acknowledged() {
    return acknowledged.get();
  }

  /** How long the request waiting longest now has waited; zero when none waits. */
  Duration longestWaitNow() {
    long now = System.nanoTime();
    return Duration.ofNanos(waitingSince.values().stream().mapToLong(since -> now - since).max().orElse(0));
  }

  /** Stops publishing and returns every answer once the requests under way were answered. */
  List<Answer> stop() throws InterruptedException {
    publishing = false;
    for (Thread thread : threads) {
      thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
    }
    return List.copyOf(answers);
  }

  static Set<String> acknowledged(List<Answer> answers) {
    Set<String> ids = new HashSet<>();
    answers.stream().filter(answer -> answer.status() == 202).forEach(answer -> ids.add(answer.id()));
    return ids;
  }

  /** How many answers had each status other than 202 and 503; -1 counts requests without an answer. */
  static Map<Integer, Long> otherThanAcceptedOrUnavailable(List<Answer> answers) {
    Map<Integer, Long> other = new HashMap<>();
    answers.stream().filter(answer -> answer.status() != 202 && answer.status() != 503)
        .forEach(answer -> other.merge(answer.status(), 1L, Long::sum));
    return other;
  }

  /** How many replies each event id has on the topic, read until every one of {@code ids} has one or the wait is over. */
  static Map<String, Integer> repliesFor(String bootstrapServers, String replyTopic, Set<String> ids, Duration wait) {
    Map<String, Integer> counts = new HashMap<>();
    var config = KafkaSettings.of(bootstrapServers).consumerConfig("faults-it", "faults-it", "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(replyTopic).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + wait.toNanos();
      while (!counts.keySet().containsAll(ids) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          Header id = record.headers().lastHeader("ce_id");
          counts.merge(id == null ? "" : new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        });
      }
    }
    return counts;
  }

  private void publish(int client) {
    for (int n = 0; publishing; n++) {
      String id = prefix + "-" + client + "-" + n;
      HttpRequest request = HttpRequest.newBuilder(topic).timeout(REQUEST_TIMEOUT).header("ce-specversion", "1.0")
          .header("ce-id", id).header("ce-source", "/faults-it").header("ce-type", "t")
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
      long start = System.nanoTime();
      waitingSince.put(client, start);
      int status;
      try {
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        status = -1;
      }
      waitingSince.remove(client);
      answers.add(new Answer(id, status, System.nanoTime() - start));
      if (status == 202) {
        acknowledged.incrementAndGet();
      }
    }
  }
}
