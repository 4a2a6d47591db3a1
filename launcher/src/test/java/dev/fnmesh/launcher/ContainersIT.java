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
 * fnmesh out of one process, in real containers: the compose file's whole mesh, and the manifests
 * {@code fnmesh render kubernetes} writes, run as pods. Each script builds the images and cleans up after
 * itself; where no container engine runs it says why, and the test is skipped with that reason.
 */
class ContainersIT {

  private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

  /**
   * Three brokers, the controller and two hosts: a reply through {@code 127.0.0.1:8080} read from Kafka, then
   * the host that runs the trigger killed and 200 events around it all replied to.
   */
  @Test
  void theComposeFileRunsTheMeshAndLosesNothingWhenAHostIsKilled() throws IOException, InterruptedException {
    List<String> output = run("compose/test", "compose test skipped:");
    assertTrue(output.stream().anyMatch(line -> line.contains("all 200 events around it replied to")),
        String.join("\n", output));
  }

  /** The rendered ConfigMap and Deployments as pods beside a Kafka container: ingress pod in, trigger pod out. */
  @Test
  void theRenderedManifestsRunAsPods() throws IOException, InterruptedException {
    List<String> output = run("kubernetes/podman/test", "kube play test skipped:");
    assertTrue(output.stream().anyMatch(line -> line.contains("replied to by the greet trigger's pod")),
        String.join("\n", output));
  }

  private static List<String> run(String script, String skippedPrefix) throws IOException, InterruptedException {
    Path log = Path.of("target", Path.of(script).getParent().getFileName() + "-test.log").toAbsolutePath();
    Process test = new ProcessBuilder(CHECKOUT.resolve(script).toString())
        .directory(CHECKOUT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean ended = test.waitFor(15, TimeUnit.MINUTES);
    if (!ended) {
      test.descendants().forEach(ProcessHandle::destroy);
      test.destroy();
    }
    List<String> output = Files.readAllLines(log);
    String skipped = output.stream().filter(line -> line.startsWith(skippedPrefix)).findFirst().orElse(null);
    Assumptions.assumeTrue(skipped == null, skipped);
    String shown = String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
    assertTrue(ended, script + " still ran after 15 minutes:\n" + shown);
    assertEquals(0, test.exitValue(), script + " failed (whole output in " + log + "):\n" + shown);
    return output;
  }
}
