package dev.fnmesh.broker.dedup;

import dev.fnmesh.mesh.DedupSettings;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Duplicates dropped where events enter over HTTP, per topic or webhook ({@code dedup:} of the mesh file): an
 * event whose {@code source} and {@code id} were accepted within the window is not written again, and answered
 * once the earlier one's write is known. What is remembered lives in this process only. Thread-safe; kept
 * across reloads, so that a reload does not make an event new again.
 */
public final class EdgeDedup {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeDedup.class);

  private final int capacity;
  private final LongSupplier nanoTime;
  private final Map<String, DedupWindow> windows = new ConcurrentHashMap<>();

  public EdgeDedup() {
    this(DedupSettings.MAX_KEYS, System::nanoTime);
  }

  /** @param capacity the most entries one scope holds */
  EdgeDedup(int capacity, LongSupplier nanoTime) {
    this.capacity = capacity;
    this.nanoTime = nanoTime;
  }

  /**
   * The events of one request, split into those to write and the duplicates. The caller writes {@link #fresh}
   * and reports the outcome with {@link #written}; the request's answer waits for {@link #duplicatesKnown}.
   */
  public final class Admission {

    private final DedupWindow window;
    private final Promise<Void> write = Promise.promise();
    private final List<CloudEvent> fresh = new ArrayList<>();
    private final List<Future<Void>> earlier = new ArrayList<>();

    private Admission(DedupWindow window) {
      this.window = window;
    }

    /** The events to write, in request order: each not seen within the window, nor earlier in this request. */
    public List<CloudEvent> fresh() {
      return fresh;
    }

    /** How many events of the request were duplicates. */
    public int duplicates() {
      return earlier.size();
    }

    /**
     * Reports the write of {@link #fresh}: when it failed, they are forgotten, so that a retry is written, and
     * the duplicates waiting on them fail too.
     */
    public void written(Future<Void> outcome) {
      outcome.onComplete(result -> {
        if (result.failed()) {
          fresh.forEach(event -> window.forget(event.getSource().toString(), event.getId(), write.future()));
        }
        write.handle(result);
      });
    }

    /**
     * @return a future that succeeds once every earlier event the duplicates repeat was written, and fails when
     *     one of those writes failed (the request is then answered as not written, so that its sender retries)
     */
    public Future<Void> duplicatesKnown() {
      return Future.all(earlier).mapEmpty();
    }

    /**
     * Reports the write of {@link #fresh} ({@link #written}) and gives what the request may be answered on: a
     * duplicate is acknowledged only once the event it repeats is, so 202 never stands for a write that failed.
     */
    public Future<Void> acknowledged(Future<Void> write) {
      written(write);
      return write.compose(v -> duplicatesKnown());
    }
  }

  /** Splits the request's events; without a dedup setting every event is fresh and nothing is remembered. */
  public Admission admit(String scope, DedupSettings settings, List<CloudEvent> events) {
    DedupWindow window = windows.computeIfAbsent(scope, s -> new DedupWindow(capacity, nanoTime));
    Admission admission = new Admission(window);
    long windowNanos = settings.window().toNanos();
    long forgottenBefore = window.forgottenEarly();
    for (CloudEvent event : events) {
      Future<Void> seen = window.admit(event.getSource().toString(), event.getId(), windowNanos,
          admission.write.future());
      if (seen == null) {
        admission.fresh.add(event);
      } else {
        admission.earlier.add(seen);
      }
    }
    if (forgottenBefore == 0 && window.forgottenEarly() > 0) {
      LOG.warn("dedup window full, oldest keys forgotten before their window ends scope={} capacity={} window={}",
          scope, capacity, settings.window());
    }
    return admission;
  }
}
