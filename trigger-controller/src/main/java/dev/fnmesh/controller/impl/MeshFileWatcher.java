package dev.fnmesh.controller.impl;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Applies the mesh file again whenever its content changes. It compares content rather than trusting
 * modification times or file events, which editors' save-by-rename and coarse timestamps make unreliable.
 */
public final class MeshFileWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(MeshFileWatcher.class);

  private final Vertx vertx;
  private final Path file;
  private final MeshRuntime runtime;
  private final long intervalMs;
  private String lastSeen;
  private long timerId = -1;

  public MeshFileWatcher(Vertx vertx, Path file, MeshRuntime runtime, long intervalMs) {
    this.vertx = vertx;
    this.file = file;
    this.runtime = runtime;
    this.intervalMs = intervalMs;
  }

  /** @param appliedText the content already running, so that it is not applied a second time */
  public void start(String appliedText) {
    lastSeen = appliedText;
    timerId = vertx.setPeriodic(intervalMs, id -> check());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void check() {
    vertx.executeBlocking(() -> Files.readString(file), false).onComplete(read -> {
      if (read.failed()) {
        if (!(read.cause() instanceof IOException) || lastSeen != null) {
          LOG.warn("mesh file unreadable file={} cause={}", file, read.cause().getMessage());
        }
        return;
      }
      String text = read.result();
      if (text.equals(lastSeen)) {
        return;
      }
      // Remember the text even when it is refused: the same bad content is reported once, not every second.
      lastSeen = text;
      LOG.info("mesh file changed file={}", file);
      runtime.apply(text, file.toString()).onFailure(e -> LOG.error("mesh file not applied file={}\n{}", file, e.getMessage()));
    });
  }
}
