package dev.fnmesh.controller.meshfile;

import dev.fnmesh.host.runtime.MeshRuntime;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Applies the mesh file again whenever its content changes, or a jar in the functions directory does (so
 * that replacing a function's jar swaps the function). It compares the file's content rather than trusting
 * file events, which editors' save-by-rename makes unreliable.
 */
public final class MeshFileWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(MeshFileWatcher.class);

  private final Vertx vertx;
  private final Path file;
  private final Path functionsDir;
  private final MeshRuntime runtime;
  private final long intervalMs;
  private String lastSeen;
  private long timerId = -1;

  public MeshFileWatcher(Vertx vertx, Path file, Path functionsDir, MeshRuntime runtime, long intervalMs) {
    this.vertx = vertx;
    this.file = file;
    this.functionsDir = functionsDir;
    this.runtime = runtime;
    this.intervalMs = intervalMs;
  }

  /** @param appliedText the content already running, so that it is not applied a second time */
  public void start(String appliedText) {
    vertx.executeBlocking(() -> appliedText + jars(), false).onSuccess(seen -> {
      lastSeen = seen;
      timerId = vertx.setPeriodic(intervalMs, id -> check());
    });
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  // Name, size and modification time of every jar: enough to notice one replaced.
  private String jars() throws IOException {
    if (!Files.isDirectory(functionsDir)) {
      return "";
    }
    try (var files = Files.walk(functionsDir)) {
      StringBuilder fingerprint = new StringBuilder();
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        fingerprint.append('\n').append(jar).append(' ').append(Files.size(jar)).append(' ')
            .append(Files.getLastModifiedTime(jar).toMillis());
      }
      return fingerprint.toString();
    }
  }

  private void check() {
    vertx.executeBlocking(() -> new String[] {Files.readString(file), jars()}, false).onComplete(read -> {
      if (read.failed()) {
        // Said once until the file is readable again, not every interval; the running mesh stays as it is.
        String unreadable = "unreadable: " + read.cause();
        if (!unreadable.equals(lastSeen)) {
          lastSeen = unreadable;
          LOG.warn("mesh file unreadable, the running mesh stays file={} cause={}", file, read.cause().getMessage());
        }
        return;
      }
      String text = read.result()[0];
      String seen = text + read.result()[1];
      if (seen.equals(lastSeen)) {
        return;
      }
      // Remember it even when it is refused: the same bad content is reported once, not every second.
      lastSeen = seen;
      LOG.info("mesh file changed file={}", file);
      // The file or a jar changed: planned again even when the text is the same.
      runtime.reload(text, file.toString()).onFailure(e -> LOG.error("mesh file not applied file={}\n{}", file, e.getMessage()));
    });
  }
}
