package dev.fnmesh.launcher;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose file runs the whole mesh in containers for real: {@code compose/test} builds the images, starts
 * three brokers, the controller and two hosts, publishes through {@code 127.0.0.1:8080}, reads the reply from
 * Kafka, kills the host that runs the trigger and sees 200 more events replied to. Skipped, with the script's
 * reason, where no container engine runs.
 */
class ComposeIT {

  private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LOG = Path.of("target/compose-test.log").toAbsolutePath();

  @Test
  void theComposeFileRunsTheMeshAndLosesNothingWhenAHostIsKilled() throws IOException, InterruptedException {
    Process test = new ProcessBuilder(CHECKOUT.resolve("compose/test").toString())
        .directory(CHECKOUT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(LOG.toFile())
        .start();
    boolean ended = test.waitFor(15, TimeUnit.MINUTES);
    if (!ended) {
      test.descendants().forEach(ProcessHandle::destroy);
      test.destroy();
    }
    List<String> output = Files.readAllLines(LOG);
    String skipped = output.stream().filter(line -> line.startsWith("compose test skipped:")).findFirst().orElse(null);
    Assumptions.assumeTrue(skipped == null, skipped);

    String shown = String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
    assertTrue(ended, "compose/test still ran after 15 minutes:\n" + shown);
    assertEquals(0, test.exitValue(), "compose/test failed (whole output in " + LOG + "):\n" + shown);
    assertTrue(output.stream().anyMatch(line -> line.contains("all 200 events around it replied to")), shown);
  }
}
