package dev.fnmesh.host.impl.process;

import static dev.fnmesh.host.impl.process.TestCommands.command;
import static dev.fnmesh.host.impl.process.TestCommands.echo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.Replies;
import dev.fnmesh.mesh.CommandKind;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Process functions with real child processes: a small Python function that echoes each event, started,
 * called, crashed, restarted and stopped.
 */
class ProcessFunctionIT {

  private static final Duration AMPLE = Duration.ofSeconds(30);
  private static final String CUT_LINE = "x".repeat(8 * 1024) + "... (" + (5_000_000 - 8 * 1024) + " more bytes)";

  private final Vertx vertx = Vertx.vertx();
  private final List<FunctionInstances.Instance> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (FunctionInstances.Instance instance : running) {
      wait(instance.stop());
    }
    wait(vertx.close());
  }

  private static CloudEvent event(String id, String type) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType(type).withSubject("a b%c")
        .withData("text/plain", ("data of " + id).getBytes(StandardCharsets.UTF_8)).build();
  }

  private static <T> T wait(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    return wait(future.transform(outcome -> Future.succeededFuture(outcome.failed() ? outcome.cause() : null)));
  }

  private FunctionInstances.Instance start(String name, CommandKind command) throws Exception {
    FunctionInstances.Instance instance = wait(TestCommands.process(name, command, vertx).start());
    running.add(instance);
    return instance;
  }

  /** The one reply of an invocation, or null for none. */
  private static CloudEvent onlyReply(Replies replies) {
    assertTrue(replies.size() <= 1, "at most one reply, got " + replies.size());
    return replies.isEmpty() ? null : replies.events().get(0);
  }

  private Future<CloudEvent> call(FunctionInstances.Instance instance, CloudEvent event) {
    Promise<CloudEvent> outcome = Promise.promise();
    vertx.runOnContext(v -> instance.function().apply(event, new FunctionContext(vertx, "echo", Map.of()))
        .onComplete(outcome));
    return outcome.future();
  }

  private static long pidOf(FunctionInstances.Instance instance) {
    return ((ProcessFunction) instance.function()).pid().orElseThrow();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void startsTheProcessAndRepliesWithTheEventItAnswers() throws Exception {
    FunctionInstances.Instance instance = start("echo", echo());
    CloudEvent sent = event("e-1", "com.example.order");

    CloudEvent reply = wait(call(instance, sent));

    assertEquals(sent, reply);
    assertEquals(0, instance.replica());
  }

  @Test
  void runsEveryInstanceAsItsOwnProcessOnItsOwnPort() throws Exception {
    FunctionInstances instances = TestCommands.process("echo", echo(), vertx);
    FunctionInstances.Instance first = wait(instances.start());
    running.add(first);
    FunctionInstances.Instance second = wait(instances.start());
    running.add(second);

    assertEquals(1, second.replica());
    assertNotEquals(pidOf(first), pidOf(second));
    assertNotEquals(((ProcessFunction) first.function()).port(), ((ProcessFunction) second.function()).port());
    assertEquals("e-2", wait(call(second, event("e-2", "t"))).getId());
    wait(first.stop());
    FunctionInstances.Instance third = wait(instances.start());
    running.add(third);
    assertEquals(0, third.replica());
  }

  @Test
  void failsNamingCommandPortAndLastOutputWhenTheProcessNeverListens() throws Exception {
    CommandKind silent = command(List.of("sh", "-c", "echo warming up; exec sleep 60"), Duration.ofSeconds(2),
        Map.of());

    Throwable failure = failureOf(TestCommands.process("slow", silent, vertx).start());

    String message = failure.getMessage();
    Matcher port = Pattern.compile("port (\\d+), pid (\\d+)\\)").matcher(message);
    assertTrue(port.find(), message);
    assertEquals("function 'slow' replica 0 (command [sh, -c, echo warming up; exec sleep 60], port " + port.group(1)
        + ", pid " + port.group(2) + ") did not listen on 127.0.0.1:" + port.group(1) + " within PT2S (readiness); it"
        + " must listen on the port in its PORT environment variable; last output: stdout: warming up", message);
    assertFalse(alive(Long.parseLong(port.group(2))), "the process that never listened is killed");
  }

  @Test
  void failsAtOnceNamingTheExitCodeWhenTheProcessExitsBeforeListening() throws Exception {
    CommandKind crashing = command(List.of("sh", "-c", "echo no module named app >&2; exit 3"));

    Throwable failure = failureOf(TestCommands.process("broken", crashing, vertx).start());

    assertTrue(failure.getMessage().contains("exited with code 3 before it listened on 127.0.0.1:"),
        failure.getMessage());
    assertTrue(failure.getMessage().endsWith("last output: stderr: no module named app"), failure.getMessage());
  }

  @Test
  void failsNamingTheCommandWhenItCannotBeRun() throws Exception {
    CommandKind missing = command(List.of("no-such-program-fnmesh", "--serve"));

    Throwable failure = failureOf(TestCommands.process("ghost", missing, vertx).start());

    assertTrue(failure.getMessage().startsWith("function 'ghost' replica 0: command [no-such-program-fnmesh, --serve]"
        + " could not be started in "), failure.getMessage());
  }

  @Test
  void restartsAProcessThatCrashedAndDeliversLaterEventsToTheNewOne() throws Exception {
    FunctionInstances.Instance instance = start("echo", echo());
    long firstPid = pidOf(instance);

    Throwable crash = failureOf(call(instance, event("boom", "test.exit")));
    await().atMost(AMPLE).pollInterval(Duration.ofMillis(10))
        .until(() -> ((ProcessFunction) instance.function()).pid().isEmpty());
    Throwable whileDown = failureOf(call(instance, event("early", "t")));
    // Events keep failing until the restarted process listens; the delivery policy would retry them.
    CloudEvent later = await().atMost(AMPLE).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> wait(call(instance, event("later", "t"))), reply -> reply != null);

    assertTrue(crash.getMessage().contains("could not be called with event id=boom"), crash.getMessage());
    assertEquals("function 'echo' replica 0 is not running: its process exited with code 1 and is restarting; event"
        + " id=early is a failed attempt", whileDown.getMessage());
    assertEquals("later", later.getId());
    assertNotEquals(firstPid, pidOf(instance));
    assertFalse(alive(firstPid));
  }

  @Test
  void aHangingProcessIsCutOffByTheTimeoutAndLaterEventsAreStillAnswered() throws Exception {
    HostedFunction hosted = TestCommands.declared("echo", echo(), vertx);
    HostedFunction replica = wait(hosted.startInstance());

    Promise<CloudEvent> hung = Promise.promise();
    vertx.runOnContext(v -> replica.invoke(event("stuck", "test.hang"), Duration.ofMillis(300)).map(ProcessFunctionIT::onlyReply).onComplete(hung));
    Throwable cutOff = failureOf(hung.future());
    Promise<CloudEvent> next = Promise.promise();
    vertx.runOnContext(v -> replica.invoke(event("next", "t"), Duration.ofSeconds(10)).map(ProcessFunctionIT::onlyReply).onComplete(next));

    assertTrue(cutOff instanceof java.util.concurrent.TimeoutException, String.valueOf(cutOff));
    assertEquals("next", wait(next.future()).getId());
    wait(replica.stopInstance());
  }

  @Test
  void stopEndsTheProcess() throws Exception {
    FunctionInstances.Instance instance = start("echo", echo());
    long pid = pidOf(instance);
    assertTrue(alive(pid));

    wait(instance.stop());

    assertFalse(alive(pid));
  }

  @Test
  void stopKillsAProcessThatIgnoresSigtermAfterFiveSeconds() throws Exception {
    FunctionInstances.Instance instance = start("stubborn", echo(Map.of("IGNORE_SIGTERM", "1")));
    long pid = pidOf(instance);
    long began = System.nanoTime();

    wait(instance.stop());

    assertFalse(alive(pid));
    assertTrue(Duration.ofNanos(System.nanoTime() - began).compareTo(Duration.ofMillis(4500)) > 0);
  }

  @Test
  void logsWhatTheProcessWritesTaggedWithFunctionAndReplica() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // The tests' log configuration writes to whatever System.err is at the time of each line.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      FunctionInstances.Instance instance = start("talker", echo());
      long pid = pidOf(instance);
      await().atMost(AMPLE).until(() -> captured.toString(StandardCharsets.UTF_8).lines().anyMatch(line ->
          line.contains("pid=" + pid + " stream=stdout line=echo function listening port=")
              && line.endsWith(" function=talker replica=0")));
      wait(call(instance, event("e-3", "t")));
      await().atMost(AMPLE).until(() -> captured.toString(StandardCharsets.UTF_8).lines().anyMatch(line ->
          line.contains("pid=" + pid + " stream=stderr line=request \"POST / HTTP/1.1\" 200")
              && line.endsWith(" function=talker replica=0")));
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void startsOneSharedProcessOnTheFirstSynchronousCallOfTheDeclaredFunction() throws Exception {
    HostedFunction declared = TestCommands.declared("echo", echo(), vertx);
    Promise<CloudEvent> outcome = Promise.promise();

    vertx.runOnContext(v -> declared.invoke(event("sync-1", "t"), AMPLE).map(ProcessFunctionIT::onlyReply).onComplete(outcome));
    CloudEvent reply = wait(outcome.future());
    List<ProcessHandle> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    wait(declared.stopInstance());

    assertEquals("sync-1", reply.getId());
    assertEquals(1, children.size(), children.toString());
    assertFalse(children.get(0).isAlive());
  }

  @Test
  void theProcessSeesItsDeclaredVariablesFnmeshsAndTheHostsPathButNoOtherVariableOfTheHost() throws Exception {
    // Variables of the test JVM that are none of the few a process inherits.
    String hostOnly = Stream.of("USER", "JAVA_HOME", "MAVEN_PROJECTBASEDIR", "SHELL", "PWD")
        .filter(name -> System.getenv(name) != null).findFirst().orElse(null);
    assumeTrue(hostOnly != null && System.getenv("PATH") != null, "the test JVM has none of the variables to check");
    FunctionInstances.Instance instance = start("env", echo(Map.of("GREETING", "hello")));

    CloudEvent reply = wait(call(instance, event("env-1", "test.env")));

    JsonObject environment = new JsonObject(Buffer.buffer(reply.getData().toBytes()));
    assertFalse(environment.containsKey(hostOnly), hostOnly + " of the host is in " + environment.fieldNames());
    // A launcher such as a pyenv shim may put its own directories before the host's.
    assertTrue(environment.getString("PATH", "").endsWith(System.getenv("PATH")), environment.getString("PATH"));
    assertEquals("hello", environment.getString("GREETING"));
    assertEquals(Integer.toString(((ProcessFunction) instance.function()).port()), environment.getString("PORT"));
    assertEquals("env", environment.getString("FNMESH_FUNCTION"));
    assertEquals("0", environment.getString("FNMESH_REPLICA"));
  }

  @Test
  void logsALineOfMegabytesCutToItsFirst8KibAndTheNextLineWholeAndKeepsServing() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      FunctionInstances.Instance instance = start("verbose", echo(Map.of("LONG_LINE_BYTES", "5000000")));
      String tag = "pid=" + pidOf(instance) + " stream=stdout line=";
      String fields = " function=verbose replica=0";
      await().atMost(AMPLE)
          .until(() -> captured.toString(StandardCharsets.UTF_8).contains(tag + "after the long line" + fields));

      List<String> logged = captured.toString(StandardCharsets.UTF_8).lines()
          .filter(line -> line.contains(tag) && line.endsWith(fields))
          .map(line -> line.substring(line.indexOf(tag) + tag.length(), line.length() - fields.length())).limit(2)
          .toList();
      assertTrue(logged.equals(List.of(CUT_LINE, "after the long line")),
          "logged lines of " + logged.stream().map(String::length).toList() + " characters");
      assertEquals("e-5", wait(call(instance, event("e-5", "t"))).getId());
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void quotesALineOfMegabytesCutInTheMessageOfAProcessThatExited() throws Exception {
    CommandKind verbose = command(List.of("sh", "-c",
        "head -c 5000000 /dev/zero | tr '\\0' x; echo; echo after the long line; exit 3"));

    Throwable failure = failureOf(TestCommands.process("verbose", verbose, vertx).start());

    String message = failure.getMessage();
    assertTrue(message.endsWith("last output: stdout: " + CUT_LINE + " | stdout: after the long line"),
        message.length() > 20_000 ? message.length() + " characters" : message);
  }
}
