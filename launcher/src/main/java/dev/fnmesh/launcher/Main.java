package dev.fnmesh.launcher;

import dev.fnmesh.launcher.render.RenderCommand;
import dev.fnmesh.launcher.operator.DlqCommand;
import dev.fnmesh.launcher.scaffold.DeployCommand;
import dev.fnmesh.launcher.scaffold.NewCommand;
import dev.fnmesh.launcher.operator.InvokeCommand;
import dev.fnmesh.launcher.operator.LogsCommand;
import dev.fnmesh.launcher.operator.PublishCommand;
import dev.fnmesh.launcher.operator.SeekCommand;
import dev.fnmesh.launcher.operator.StatusCommand;
import dev.fnmesh.launcher.operator.TailCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** The {@code fnmesh} command line. */
@Command(name = "fnmesh", mixinStandardHelpOptions = true, version = "fnmesh 0.1.0",
    description = "An event-driven CloudEvents function mesh on Kafka.",
    subcommands = {UpCommand.class, HostCommand.class, ControllerCommand.class, KafkaCommand.class,
        PublishCommand.class, InvokeCommand.class, StatusCommand.class, DlqCommand.class, SeekCommand.class, TailCommand.class,
        LogsCommand.class, NewCommand.class, DeployCommand.class, RenderCommand.class})
public final class Main {

  /** Where the launcher script lives; relative defaults (the example mesh, the data directory) resolve against it. */
  public static final Path HOME = Path.of(System.getProperty("fnmesh.home", "."));

  public static void main(String[] args) {
    System.exit(commandLine(System::getenv).execute(args));
  }

  /** The command line, its options' defaults taken from the environment first. */
  static CommandLine commandLine(java.util.function.Function<String, String> env) {
    return new CommandLine(new Main()).setDefaultValueProvider(new EnvironmentDefaults(env));
  }

  /** Says why the process does not start, when it does not. */
  static boolean refused(String command, Optional<String> refusal) {
    refusal.ifPresent(reason -> System.err.println(command + ": " + reason));
    return refusal.isPresent();
  }

  /** Prints the banner, then waits until the process is told to stop (SIGTERM, Ctrl-C) and closes what runs. */
  static int runUntilStopped(AutoCloseable running, String banner) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("fnmesh: did not stop cleanly: " + e.getMessage());
      }
      stopped.countDown();
    }, "fnmesh-shutdown"));
    System.out.print(banner);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
