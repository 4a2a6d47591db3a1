package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code fnmesh status}: the triggers of a running mesh and, on a controller, its hosts. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the triggers of a running mesh (state, replicas, lag, events) and, on a controller, its hosts.")
public final class StatusCommand implements Callable<Integer> {

  private static final List<String> COLUMNS = List.of("TRIGGER", "KIND", "TOPIC", "FUNCTION", "STATE", "REPLICAS",
      "LAG", "EVENTS/S", "SUCCEEDED", "RETRIED", "DEAD-LETTERED");

  @Option(names = {"-w", "--watch"}, description = "Refresh every --interval seconds, in place, until interrupted.")
  boolean watch;

  @Option(names = "--interval", description = "Seconds between refreshes with --watch (default: ${DEFAULT-VALUE}).")
  int interval = 2;

  @Mixin
  OperatorOptions operator = new OperatorOptions();

  @Override
  public Integer call() throws InterruptedException {
    MeshClient client = operator.client();
    Map<String, Long> previous = new HashMap<>();
    long previousAt = 0;
    try {
      do {
        JsonArray triggers = client.getJson("/api/triggers").getJsonArray("triggers", new JsonArray());
        JsonArray hosts = hosts(client);
        long now = System.nanoTime();
        if (operator.output == OperatorOptions.Output.json) {
          System.out.println(new JsonObject().put("triggers", triggers).put("hosts", hosts).encode());
        } else {
          if (watch) {
            System.out.print("\033[H\033[2J"); // home and clear, so the table refreshes in place
          }
          System.out.print(Table.render(COLUMNS, rows(triggers, previous, (now - previousAt) / 1e9)));
          problems(triggers).forEach(System.out::println);
          if (hosts != null) {
            System.out.println();
            System.out.println("HOSTS  " + String.join(", ", hosts.stream().map(String::valueOf).toList()));
          }
        }
        previousAt = now;
        System.out.flush();
        if (watch) {
          TimeUnit.SECONDS.sleep(Math.max(1, interval));
        }
      } while (watch);
      return 0;
    } catch (OperatorException e) {
      System.err.println("fnmesh status: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Why a trigger is not simply running, one line each: its error (failed, stalled, restarting) and its
   * warnings (a topic with fewer replicas than asked), so the table's state has its reason beside it.
   */
  static List<String> problems(JsonArray triggers) {
    List<String> lines = new ArrayList<>();
    for (Object item : triggers) {
      JsonObject trigger = (JsonObject) item;
      String name = trigger.getString("name", "");
      String error = trigger.getString("error");
      if (error != null && !error.isBlank()) {
        lines.add(name + ": " + trigger.getString("state", "") + ": " + error);
      }
      for (Object warning : trigger.getJsonArray("warnings", new JsonArray())) {
        lines.add(name + ": warning: " + warning);
      }
    }
    if (!lines.isEmpty()) {
      lines.add(0, "");
    }
    return lines;
  }

  /** The controller's hosts, or null on a process that has none (a host, {@code fnmesh up}). */
  private static JsonArray hosts(MeshClient client) {
    try {
      return client.getJson("/api/hosts").getJsonArray("hosts", new JsonArray());
    } catch (OperatorException notAController) {
      return null;
    }
  }

  /** One row per trigger; events per second from the succeeded count since the previous refresh. */
  private static List<List<String>> rows(JsonArray triggers, Map<String, Long> previous, double seconds) {
    List<List<String>> rows = new ArrayList<>();
    for (Object item : triggers) {
      JsonObject trigger = (JsonObject) item;
      JsonObject events = trigger.getJsonObject("events", new JsonObject());
      JsonObject scaling = trigger.getJsonObject("scaling", new JsonObject());
      String name = trigger.getString("name", "");
      long done = events.getLong("succeeded", 0L) + events.getLong("deadLettered", 0L) + events.getLong("filtered", 0L);
      Long before = previous.put(name, done);
      String rate = before == null || seconds <= 0 ? "-" : String.format("%.1f", (done - before) / seconds);
      rows.add(List.of(name, trigger.getString("kind", ""), trigger.getString("topic", ""),
          trigger.getString("function", ""), trigger.getString("state", ""),
          trigger.getValue("replicas", "") + "/" + scaling.getValue("desiredReplicas", "-"),
          String.valueOf(scaling.getValue("lag", "-")), rate, String.valueOf(events.getLong("succeeded", 0L)),
          String.valueOf(events.getLong("retried", 0L)), String.valueOf(events.getLong("deadLettered", 0L))));
    }
    return rows;
  }
}
