package dev.fnmesh.host.logs;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Where the code that runs functions records their output lines and failed calls, from any thread: each entry
 * goes over this Vert.x's event bus to the {@link FunctionLogBuffer}, which alone keeps them, and on a host of a
 * mesh across processes to its {@link FunctionLogShipper} too. On a controller, which runs no function, the
 * {@link FunctionLogCollector} records the hosts' entries here. Without a buffer deployed, entries go nowhere.
 */
public final class FunctionLogs {

  static final String RECORD_ADDRESS = "fnmesh.function-logs.record";
  static final String RECENT_ADDRESS = "fnmesh.function-logs.recent";
  private static final String LIVE_ADDRESS = "fnmesh.function-logs.live.";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;

  private FunctionLogs(Vertx vertx) {
    this.vertx = vertx;
  }

  public static FunctionLogs of(Vertx vertx) {
    return new FunctionLogs(vertx);
  }

  /** Records an entry; never blocks and never fails. */
  public void record(FunctionLogEntry entry) {
    vertx.eventBus().publish(RECORD_ADDRESS, entry.toJson(), LOCAL);
  }

  /** Where the buffer publishes each entry of one function as it keeps it, with its sequence number. */
  static String liveAddress(String function) {
    return LIVE_ADDRESS + function;
  }

  static DeliveryOptions local() {
    return LOCAL;
  }
}
