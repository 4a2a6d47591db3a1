package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code fnmesh seek TRIGGER --timestamp T | --earliest | --latest}: moves a kafka trigger's consumer group,
 * to replay what it handled since a time or skip what waits, over {@code POST /api/triggers/{name}/seek}.
 */
@Command(name = "seek", mixinStandardHelpOptions = true,
    description = "Move a kafka trigger's offsets on every partition: its replicas stop, the offsets move, they start again.")
public final class SeekCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "TRIGGER")
  String trigger;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--timestamp", paramLabel = "TIME",
        description = "To the first event at or after this RFC 3339 time, such as 2026-12-01T00:00:00Z.")
    String timestamp;

    @Option(names = "--earliest", description = "To the oldest event kept.")
    boolean earliest;

    @Option(names = "--latest", description = "To the end: what waits is skipped.")
    boolean latest;
  }

  @Mixin
  OperatorOptions operator = new OperatorOptions();

  @Override
  public Integer call() {
    JsonObject body = target.timestamp != null ? new JsonObject().put("timestamp", target.timestamp)
        : new JsonObject().put("offset", target.earliest ? "earliest" : "latest");
    try {
      MeshClient client = operator.client();
      // The replicas stop (up to their drain) and the group empties before anything moves: longer than a plain call.
      JsonObject answer = new JsonObject(client.send(client.request("/api/triggers/" + trigger + "/seek")
          .timeout(java.time.Duration.ofSeconds(150))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build()).body());
      if (operator.output == OperatorOptions.Output.json) {
        System.out.println(answer.encode());
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (Object item : answer.getJsonArray("partitions")) {
        JsonObject move = (JsonObject) item;
        rows.add(List.of(String.valueOf(move.getValue("partition")),
            move.getValue("from") == null ? "-" : String.valueOf(move.getValue("from")),
            String.valueOf(move.getValue("to"))));
      }
      System.out.println("moved " + answer.getString("group") + " on " + answer.getString("topic") + " to "
          + answer.getString("to"));
      System.out.print(Table.render(List.of("PARTITION", "FROM", "TO"), rows));
      return 0;
    } catch (OperatorException e) {
      System.err.println("fnmesh seek: " + e.getMessage());
      return 1;
    }
  }
}
