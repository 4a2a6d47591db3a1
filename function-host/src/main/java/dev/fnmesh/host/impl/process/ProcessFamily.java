package dev.fnmesh.host.impl.process;

import dev.fnmesh.host.ProcessRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function process and the descendants it was seen with, and the JVM shutdown hook that ends them all
 * however fnmesh is told to stop: SIGTERM, then SIGKILL after the grace, and the JVM does not exit before
 * they ended. Descendants are remembered because a wrapper that dies first re-parents its children to
 * init, where {@link ProcessHandle#descendants()} no longer finds them. Thread-safe.
 */
final class ProcessFamily {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessFamily.class);
  private static final Duration AFTER_KILL = Duration.ofSeconds(5);

  private final String name;
  private final Duration grace;
  private final ProcessRecords records;
  private final Thread hook;
  private final Set<ProcessHandle> descendants = ConcurrentHashMap.newKeySet();
  // Guarded by this: a shutdown that begins while the process starts waits for it and then ends it.
  private Process process;
  private boolean shutdownBegun;

  private ProcessFamily(String name, Duration grace, ProcessRecords records) {
    this.name = name;
    this.grace = grace;
    this.records = records;
    this.hook = new Thread(this::shutdown, "fnmesh-function-" + name + "-shutdown");
  }

  /**
   * Starts the process under a shutdown hook registered before it. Blocking (fork and exec).
   *
   * @throws IOException when the program cannot be run, or when the JVM is already shutting down: nothing
   *     may start then, since nothing would end it
   */
  static ProcessFamily start(String name, ProcessBuilder builder, Duration grace, ProcessRecords records)
      throws IOException {
    ProcessFamily family = new ProcessFamily(name, grace, records);
    try {
      Runtime.getRuntime().addShutdownHook(family.hook);
    } catch (IllegalStateException e) {
      throw new IOException("fnmesh is shutting down", e);
    }
    synchronized (family) {
      if (family.shutdownBegun) {
        throw new IOException("fnmesh is shutting down");
      }
      try {
        family.process = builder.start();
      } catch (IOException e) {
        family.unregister();
        throw e;
      }
    }
    family.watch(family.process.toHandle());
    return family;
  }

  /** Whether the JVM is shutting down, so that an exit is no crash and nothing is to be restarted. */
  static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException e) {
      return true;
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
  }

  Process process() {
    return process;
  }

  /** Remembers the process's current descendants. Blocking (reads the process table): call on a worker. */
  void noteDescendants() {
    process.descendants().filter(descendants::add).forEach(this::watch);
  }

  /** The process and every descendant known or found now, those still alive. */
  List<ProcessHandle> alive() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    all.addAll(descendants);
    // Found only now, at the end: ended with the rest, not worth recording.
    process.descendants().filter(descendants::add).forEach(all::add);
    return all.stream().filter(ProcessHandle::isAlive).toList();
  }

  /** Once the family ended by other means than the JVM's shutdown, the hook has nothing left to do. */
  void unregister() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs and finds the processes gone.
    }
  }

  private void watch(ProcessHandle handle) {
    records.started(handle);
    handle.onExit().thenRun(() -> records.ended(handle));
  }

  private void shutdown() {
    synchronized (this) {
      shutdownBegun = true;
    }
    if (process == null) {
      return;
    }
    List<ProcessHandle> family = alive();
    family.forEach(ProcessHandle::destroy);
    if (!endedWithin(family, grace)) {
      LOG.warn("function process did not end on SIGTERM, killing it function={} pids={} graceMs={}", name,
          family.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList(), grace.toMillis());
      family.forEach(ProcessHandle::destroyForcibly);
      endedWithin(family, AFTER_KILL);
    }
  }

  /** Waits at most {@code timeout} for every process to end; false when one has not. */
  static boolean endedWithin(List<ProcessHandle> family, Duration timeout) {
    try {
      CompletableFuture.allOf(family.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
