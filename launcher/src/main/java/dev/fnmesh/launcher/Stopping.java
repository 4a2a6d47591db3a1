package dev.fnmesh.launcher;

import dev.fnmesh.host.JarFunctions;
import io.vertx.core.Vertx;
import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/** The last steps of stopping any fnmesh process, whatever stopped before them. */
final class Stopping {

  private Stopping() {}

  /**
   * Closes Vert.x, then the function jars. Call it from outside Vert.x: Vert.x cannot close from one of
   * its own threads, so it is never chained onto a Vert.x future.
   */
  static void vertxAndJars(Vertx vertx, JarFunctions jars, Logger log) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Vert.x did not stop cleanly cause={}", e.getMessage());
    }
    jars.close();
  }
}
