package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fnmesh dlq list|replay TRIGGER}: a trigger's dead letters, and putting them back once fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "See and replay a trigger's dead letters.",
    subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class})
public final class DlqCommand {

  /** {@code fnmesh dlq list TRIGGER}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Show a trigger's last dead letters with their error code and message.")
  static final class ListLetters implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TRIGGER")
    String trigger;

    @Option(names = "--limit", description = "How many of the last dead letters (default: ${DEFAULT-VALUE}).")
    int limit = 100;

    @Mixin
    OperatorOptions operator = new OperatorOptions();

    @Override
    public Integer call() {
      try {
        JsonObject answer = operator.client().getJson("/api/triggers/" + trigger + "/deadletters?limit=" + limit);
        if (operator.output == OperatorOptions.Output.json) {
          System.out.println(answer.encode());
          return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Object item : answer.getJsonArray("deadLetters", new JsonArray())) {
          JsonObject letter = (JsonObject) item;
          rows.add(List.of(letter.getString("time", ""), String.valueOf(letter.getValue("id", "-")),
              String.valueOf(letter.getValue("type", "-")), String.valueOf(letter.getValue("errorCode", "-")),
              String.valueOf(letter.getValue("error", ""))));
        }
        System.out.print(Table.render(List.of("TIME", "ID", "TYPE", "ERROR CODE", "ERROR"), rows));
        return 0;
      } catch (OperatorException e) {
        System.err.println("fnmesh dlq list: " + e.getMessage());
        return 1;
      }
    }
  }

  /** {@code fnmesh dlq replay TRIGGER}. */
  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Put a trigger's dead letters back on the topic each was read from, without fnmesh's error"
          + " extensions and with their trace context; each once.")
  static final class Replay implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TRIGGER")
    String trigger;

    @Option(names = "--filter", paramLabel = "CESQL", description = "Replay only the events this expression accepts.")
    String filter;

    @Option(names = "--dry-run", description = "Count what would be replayed; write nothing.")
    boolean dryRun;

    @Mixin
    OperatorOptions operator = new OperatorOptions();

    @Override
    public Integer call() {
      String query = "?dryRun=" + dryRun + (filter == null ? "" : "&filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
      try {
        MeshClient client = operator.client();
        JsonObject answer = new JsonObject(client.send(client.request("/api/triggers/" + trigger
            + "/redrive" + query).POST(HttpRequest.BodyPublishers.noBody()).build()).body());
        if (operator.output == OperatorOptions.Output.json) {
          System.out.println(answer.encode());
          return 0;
        }
        JsonObject to = answer.getJsonObject("to", new JsonObject());
        String where = to.isEmpty() ? "" : " to " + String.join(", ", to.fieldNames().stream()
            .map(topic -> topic + " (" + to.getValue(topic) + ")").toList());
        System.out.println((dryRun ? "would replay " + answer.getInteger("matched") : "replayed "
            + answer.getInteger("replayed")) + " of " + answer.getInteger("read") + " dead letters from "
            + answer.getString("from") + where);
        return 0;
      } catch (OperatorException e) {
        System.err.println("fnmesh dlq replay: " + e.getMessage());
        return 1;
      }
    }
  }
}
