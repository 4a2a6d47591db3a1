package dev.fnmesh.host.impl.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one short engine command (rm, ps) to its end. Blocking: call on a worker or at startup, never on an event loop. */
final class EngineCalls {

  /** How long an engine command may take before it is given up. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private EngineCalls() {}

  /**
   * @param env the host's variables that configure the engine
   * @return what it wrote to its standard output
   * @throws IOException naming the command and its last output when it could not run, failed or did not end in time
   */
  static String run(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not end within " + TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " was interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with code " + process.exitValue() + ": "
          + output.strip());
    }
    return output;
  }
}
