package dev.fnmesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A closed-loop HTTP load generator: {@code connections} workers, each on a keep-alive HTTP/1.1 connection
 * of its own without pipelining, send one POST, wait for the answer and send the next. Requests that
 * complete inside the measurement window (after the warm-up) are counted and their latency recorded.
 */
final class LoadGenerator {

  /** One request to send: its headers and body, and how many events it carries. */
  record Request(MultiMap headers, Buffer body, int events) {}

  /** Makes the next request of a worker; {@code sequence} counts that worker's requests from 0. */
  interface Requests {
    Request next(int worker, long sequence);
  }

  private final Vertx vertx;
  private final WebClient client;
  private final String path;
  private final int connections;
  private final int expectedStatus;
  private final Requests requests;
  private final Set<Long> threadIds = ConcurrentHashMap.newKeySet();

  LoadGenerator(Vertx vertx, int port, String path, int connections, int expectedStatus, Requests requests) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections));
    this.path = path;
    this.connections = connections;
    this.expectedStatus = expectedStatus;
    this.requests = requests;
  }

  /** Runs the warm-up, then the measurement; the future completes once every worker's last request returned. */
  Future<LoadResult> run(Duration warmup, Duration duration) {
    long from = System.nanoTime() + warmup.toNanos();
    long until = from + duration.toNanos();
    List<Worker> workers = new ArrayList<>();
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Worker worker = new Worker(i, from, until);
      workers.add(worker);
      done.add(worker.finished.future());
      // A new context per worker from this non-Vert.x thread: the workers spread over the event loops.
      Context context = vertx.getOrCreateContext();
      context.runOnContext(v -> worker.send());
    }
    return Future.all(done).map(v -> LoadResult.of(workers.stream().map(Worker::stats).toList(), until - from));
  }

  /** The ids of the threads the workers ran on so far, to tell them apart in {@link ThreadCpu} tables. */
  Set<Long> threadIds() {
    return Set.copyOf(threadIds);
  }

  void close() {
    client.close();
  }

  /** What one worker saw; read only after its {@code finished} future completed. */
  record WorkerStats(long[] latencies, int measured, long events, long acceptedEvents, int errors, String firstError) {}

  private final class Worker {
    private final int id;
    private final long from;
    private final long until;
    private final Promise<Void> finished = Promise.promise();
    private long[] latencies = new long[4096];
    private int measured;
    private long measuredEvents;
    private long acceptedEvents;
    private int errors;
    private String firstError;
    private long sequence;

    Worker(int id, long from, long until) {
      this.id = id;
      this.from = from;
      this.until = until;
    }

    void send() {
      long start = System.nanoTime();
      if (start >= until) {
        finished.complete();
        return;
      }
      if (sequence == 0) {
        // A worker stays on the context it started on, so its first request names its thread.
        threadIds.add(Thread.currentThread().getId());
      }
      Request request = requests.next(id, sequence++);
      client.post(path).putHeaders(request.headers()).sendBuffer(request.body()).onComplete(outcome -> {
        long end = System.nanoTime();
        boolean ok = outcome.succeeded() && outcome.result().statusCode() == expectedStatus;
        if (ok) {
          acceptedEvents += request.events();
        } else {
          errors++;
          if (firstError == null) {
            firstError = describe(outcome.succeeded() ? outcome.result() : null, outcome.cause());
          }
        }
        if (ok && end >= from && end < until) {
          record(end - start, request.events());
        }
        if (outcome.succeeded()) {
          send();
        } else {
          // A refused connection fails at once: pause instead of spinning.
          vertx.setTimer(10, timer -> send());
        }
      });
    }

    private void record(long latency, int events) {
      if (measured == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[measured++] = latency;
      measuredEvents += events;
    }

    WorkerStats stats() {
      return new WorkerStats(Arrays.copyOf(latencies, measured), measured, measuredEvents, acceptedEvents, errors, firstError);
    }

    private String describe(HttpResponse<Buffer> response, Throwable failure) {
      if (response == null) {
        return failure.toString();
      }
      String body = response.bodyAsString();
      return "status " + response.statusCode() + (body == null ? "" : ": " + body);
    }
  }

  /**
   * The measurement window's results, over all workers; {@code acceptedEvents} and {@code errors} count the
   * whole run, warm-up included.
   */
  record LoadResult(int requests, long events, long acceptedEvents, int errors, String firstError, long windowNanos,
      long[] sortedLatencies) {

    static LoadResult of(List<WorkerStats> workers, long windowNanos) {
      int requests = workers.stream().mapToInt(WorkerStats::measured).sum();
      long[] all = new long[requests];
      int at = 0;
      String firstError = null;
      for (WorkerStats worker : workers) {
        System.arraycopy(worker.latencies(), 0, all, at, worker.measured());
        at += worker.measured();
        firstError = firstError == null ? worker.firstError() : firstError;
      }
      Arrays.sort(all);
      return new LoadResult(requests, workers.stream().mapToLong(WorkerStats::events).sum(),
          workers.stream().mapToLong(WorkerStats::acceptedEvents).sum(),
          workers.stream().mapToInt(WorkerStats::errors).sum(), firstError, windowNanos, all);
    }

    double requestsPerSecond() {
      return requests / (windowNanos / 1e9);
    }

    double eventsPerSecond() {
      return events / (windowNanos / 1e9);
    }

    /** The latency at quantile {@code q} (0..1) in nanoseconds, nearest rank; 0 without requests. */
    long latency(double q) {
      if (sortedLatencies.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(q * sortedLatencies.length);
      return sortedLatencies[Math.min(sortedLatencies.length - 1, Math.max(0, rank - 1))];
    }
  }
}
