package dev.fnmesh.host.impl.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.time.Duration;

/**
 * Waits until a started function process accepts TCP connections on its port, trying every 50 ms on
 * timers, and fails with a message naming the command, the port and its last output lines when it exits
 * first or does not listen in time.
 */
final class ProcessReadiness {

  static final long POLL_MS = 50;
  private static final int CONNECT_TIMEOUT_MS = 250;

  private ProcessReadiness() {}

  /**
   * @return a future completed on {@code context} once the process listens; it fails when the process
   *     exited or {@code within} passed
   */
  static Future<Void> await(Context context, ProcessRun run, Duration within) {
    NetClient client = context.owner().createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
    Promise<Void> ready = Promise.promise();
    context.runOnContext(v -> probe(context, client, run, System.nanoTime() + within.toNanos(), within, ready));
    // Not waited for: the caller continues on its context as soon as the outcome is known.
    ready.future().onComplete(outcome -> client.close());
    return ready.future();
  }

  // Connect outcomes may be reported on another Vert.x thread; every step runs on the caller's context.
  private static void probe(Context context, NetClient client, ProcessRun run, long deadline, Duration within,
      Promise<Void> ready) {
    client.connect(run.port, "127.0.0.1").onComplete(connected -> context.runOnContext(v -> {
      if (connected.succeeded()) {
        connected.result().close();
      }
      // Checked after connecting too: a dead process whose port another program took is not ready.
      if (!run.process.isAlive()) {
        run.outputDrained(context).onComplete(drained -> ready.fail(new IllegalStateException(run.describe()
            + " exited with code " + run.process.exitValue() + " before it listened on 127.0.0.1:" + run.port
            + "; last output: " + run.output.lastLinesText())));
      } else if (connected.succeeded()) {
        ready.complete();
      } else if (System.nanoTime() - deadline >= 0) {
        ready.fail(new IllegalStateException(run.describe() + " did not listen on 127.0.0.1:" + run.port + " within "
            + within + " (readiness); it must listen on the port in its PORT environment variable; last output: "
            + run.output.lastLinesText()));
      } else {
        context.owner().setTimer(POLL_MS, id -> probe(context, client, run, deadline, within, ready));
      }
    }));
  }
}
