package dev.fnmesh.host.impl.process;

import dev.fnmesh.host.ProcessRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The function processes of this fnmesh process, one {@code <pid> <start instant in ms>} line each, in
 * {@code <directory>/<own pid>-<own start in ms>.pids}. Opening it ends what an fnmesh killed before left:
 * every process listed in the file of an fnmesh no longer alive that is still alive with the same start
 * instant, so a reused pid is never touched and several fnmesh processes can share the directory.
 */
public final class ProcessRecordFile implements ProcessRecords {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRecordFile.class);
  private static final String SUFFIX = ".pids";
  private static final Duration GRACE = ProcessFunction.STOP_GRACE;

  private final Path file;
  // Guarded by this.
  private final Map<Long, Long> running = new LinkedHashMap<>();

  private ProcessRecordFile(Path file) {
    this.file = file;
  }

  /**
   * Creates the directory, ends the processes left by fnmesh processes that were killed and removes their
   * files. Blocking: SIGTERM, then SIGKILL to those still alive after {@link ProcessFunction#STOP_GRACE}.
   *
   * @throws UncheckedIOException when the directory cannot be created or read
   */
  public static ProcessRecordFile open(Path directory) {
    ProcessHandle self = ProcessHandle.current();
    try {
      Files.createDirectories(directory);
      try (Stream<Path> files = Files.list(directory)) {
        files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).filter(f -> !alive(owner(f)))
            .forEach(ProcessRecordFile::endLeftBehind);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the function process records in " + directory + ": "
          + e.getMessage(), e);
    }
    return new ProcessRecordFile(directory.resolve(self.pid() + "-" + startMillis(self).orElse(0L) + SUFFIX));
  }

  @Override
  public synchronized void started(ProcessHandle process) {
    // Without a start instant a recorded pid could not be told from a reused one: such a process is not noted.
    startMillis(process).ifPresent(start -> {
      running.put(process.pid(), start);
      write();
    });
  }

  @Override
  public synchronized void ended(ProcessHandle process) {
    if (running.remove(process.pid()) != null) {
      write();
    }
  }

  private void write() {
    try {
      if (running.isEmpty()) {
        Files.deleteIfExists(file);
        return;
      }
      StringBuilder lines = new StringBuilder();
      running.forEach((pid, start) -> lines.append(pid).append(' ').append(start).append('\n'));
      // Written aside and moved: a SIGKILL mid-write leaves the previous list, never half a line.
      Path next = file.resolveSibling(file.getFileName() + ".next");
      Files.writeString(next, lines);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("function process records not written file={} cause={}", file, e.getMessage());
    }
  }

  private static void endLeftBehind(Path records) {
    List<ProcessHandle> left = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(records)) {
        String[] fields = line.trim().split(" ");
        if (fields.length == 2) {
          long start = Long.parseLong(fields[1]);
          ProcessHandle.of(Long.parseLong(fields[0]))
              .filter(p -> p.isAlive() && startMillis(p).orElse(-1L) == start).ifPresent(left::add);
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("function process records unreadable, ignored file={} cause={}", records, e.getMessage());
    }
    if (!left.isEmpty()) {
      LOG.warn("ending function processes a stopped fnmesh left behind file={} pids={}", records,
          left.stream().map(ProcessHandle::pid).toList());
      left.forEach(ProcessHandle::destroy);
      if (!ProcessFamily.endedWithin(left, GRACE)) {
        left.forEach(ProcessHandle::destroyForcibly);
        ProcessFamily.endedWithin(left, GRACE);
      }
    }
    try {
      Files.deleteIfExists(records);
    } catch (IOException e) {
      LOG.warn("function process records not removed file={} cause={}", records, e.getMessage());
    }
  }

  /** The pid and start instant a records file is named after; a name not of that form has no owner alive. */
  private static Optional<long[]> owner(Path records) {
    String name = records.getFileName().toString();
    String[] parts = name.substring(0, name.length() - SUFFIX.length()).split("-");
    try {
      return parts.length == 2 ? Optional.of(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])})
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean alive(Optional<long[]> owner) {
    return owner.flatMap(o -> ProcessHandle.of(o[0]).filter(p -> startMillis(p).orElse(-1L) == o[1])).isPresent();
  }

  private static Optional<Long> startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli);
  }
}
