package dev.fnmesh.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs an fnmesh command in the test JVM as a user runs it, against a mesh's HTTP port, and keeps what it printed. */
final class FnmeshCli {

  private FnmeshCli() {}

  record Run(int exitCode, String out, String err) {}

  /** Runs {@code args} with {@code FNMESH_URL} naming the port, as if set in the user's environment. */
  static Run run(int port, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      Map<String, String> env = Map.of("FNMESH_URL", "http://127.0.0.1:" + port);
      int exitCode = Main.commandLine(env::get).execute(args);
      return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
