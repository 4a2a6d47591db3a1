package dev.fnmesh.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * HTTP clients publishing events at a steady rate, one at a time each, as a service calling fnmesh does; every
 * answer is kept, so that what was acknowledged (202) can be checked against the replies afterwards. A client
 * that falls behind (a slow answer) goes on at the rate, it does not catch up in a burst.
 */
final class SteadyIngest {

  /**
   * One request's outcome: its HTTP status, or -1 when no answer came (timeout, connection refused); when the
   * answer came ({@link System#nanoTime()}) and how long it took.
   */
  record Answer(String id, int status, long nanos, long tookNanos) {}

  // Above the producer's delivery timeout (20 s), after which fnmesh answers 503: a request without an answer by
  // then hangs.
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI topic;
  private final String prefix;
  private final int clients;
  private final long intervalNanos;
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /** @param topic e.g. {@code http://127.0.0.1:8080/topics/orders} */
  SteadyIngest(URI topic, String prefix, int clients, int eventsPerSecond) {
    this.topic = topic;
    this.prefix = prefix;
    this.clients = clients;
    this.intervalNanos = (long) (clients * 1e9 / eventsPerSecond);
  }

  void start() {
    running = true;
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = new Thread(() -> publish(client), "fault-ingest-" + c);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  /** Stops sending and waits for the requests under way to be answered. */
  List<Answer> stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join();
    }
    return List.copyOf(answers);
  }

  static Set<String> acknowledged(List<Answer> answers) {
    return answers.stream().filter(a -> a.status() == 202).map(Answer::id).collect(Collectors.toSet());
  }

  static long count(List<Answer> answers, int status) {
    return answers.stream().filter(a -> a.status() == status).count();
  }

  /** Answers neither 202 nor 503: other statuses and requests that got no answer. */
  static long failed(List<Answer> answers) {
    return answers.stream().filter(a -> a.status() != 202 && a.status() != 503).count();
  }

  /** How long the slowest request took to be answered, or to be given up on. */
  static long slowestNanos(List<Answer> answers) {
    return answers.stream().mapToLong(Answer::tookNanos).max().orElse(0);
  }

  /**
   * From {@code sinceNanos} to the first 202 after the last answer that was not one, or 0 when every answer
   * since was a 202: how long publishers saw the fault.
   */
  static long recoverNanos(List<Answer> answers, long sinceNanos) {
    long lastRefused = answers.stream().filter(a -> a.nanos() >= sinceNanos && a.status() != 202)
        .mapToLong(Answer::nanos).max().orElse(-1);
    if (lastRefused < 0) {
      return 0;
    }
    return answers.stream().filter(a -> a.status() == 202 && a.nanos() > lastRefused).mapToLong(Answer::nanos)
        .min().orElse(Long.MAX_VALUE) - sinceNanos;
  }

  private void publish(int client) {
    long next = System.nanoTime() + client * intervalNanos / clients;
    for (long n = 0; running; n++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      String id = prefix + "-" + client + "-" + n;
      long sent = System.nanoTime();
      int status = send(id);
      long answered = System.nanoTime();
      answers.add(new Answer(id, status, answered, answered - sent));
      next = Math.max(next + intervalNanos, System.nanoTime());
    }
  }

  private int send(String id) {
    HttpRequest request = HttpRequest.newBuilder(topic).timeout(REQUEST_TIMEOUT)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/faultbench")
        .header("ce-type", "bench.fault").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
