package dev.fnmesh.host;

/**
 * Where a host notes the function processes it runs, so that a later start can end those that a host
 * killed with SIGKILL (which no shutdown hook sees) left behind. Implementations are thread-safe; their
 * methods may block on file I/O, so call them from a worker or a JDK thread, never an event loop.
 */
public interface ProcessRecords {

  /** Notes nothing: for processes that run no functions. */
  ProcessRecords NONE = new ProcessRecords() {
    @Override
    public void started(ProcessHandle process) {
    }

    @Override
    public void ended(ProcessHandle process) {
    }
  };

  /** A function process, or one of its descendants, runs. */
  void started(ProcessHandle process);

  /** It ended. */
  void ended(ProcessHandle process);
}
