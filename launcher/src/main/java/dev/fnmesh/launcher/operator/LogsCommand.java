package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code fnmesh logs FUNCTION}: a function's recent output lines and failed calls, as the process asked keeps
 * them (a controller: those of every host); with {@code --follow}, then each new one as it comes.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print a function's recent output (stdout and stderr of command: functions) and its failed calls"
        + " (every kind of function), as the host asked keeps them, or a controller those of every host; --follow"
        + " goes on with new ones.")
public final class LogsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FUNCTION", description = "A function of the running mesh.")
  String function;

  @Option(names = {"-f", "--follow"}, description = "After the recent entries, print each new one until interrupted.")
  boolean follow;

  @Mixin
  OperatorOptions operator = new OperatorOptions();

  @Override
  public Integer call() {
    String path = "/api/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8).replace("+", "%20") + "/logs";
    MeshClient client = operator.client();
    try {
      if (!follow) {
        JsonArray entries = new JsonArray(client.send(client.request(path).GET().build()).body());
        if (operator.output == OperatorOptions.Output.json) {
          System.out.println(entries.encode());
        } else {
          entries.forEach(entry -> System.out.println(oneLine((JsonObject) entry)));
        }
        return 0;
      }
      return follow(client, path + "?follow=true");
    } catch (OperatorException e) {
      System.err.println("fnmesh logs: " + e.getMessage());
      return 1;
    }
  }

  private int follow(MeshClient client, String path) {
    HttpResponse<Stream<String>> stream;
    try {
      stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
          client.request(path).timeout(Duration.ofDays(365)).GET().build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      System.err.println("fnmesh logs: cannot reach the mesh at " + operator.url + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    try (Stream<String> lines = stream.body()) {
      if (stream.statusCode() != 200) {
        System.err.println("fnmesh logs: " + stream.statusCode() + " " + String.join("\n", lines.toList()));
        return 1;
      }
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("data: ")) {
          JsonObject entry = new JsonObject(line.substring("data: ".length()));
          System.out.println(operator.output == OperatorOptions.Output.json ? entry.encode() : oneLine(entry));
          System.out.flush();
        }
      }
      return 0;
    }
  }

  /**
   * {@code time  function/replica stream  message} for a line, {@code time  function failure  trigger event_id
   * message} for a failure; from a controller, {@code host } before the function says whose it was.
   */
  static String oneLine(JsonObject entry) {
    StringBuilder line = new StringBuilder(entry.getString("time", "-")).append("  ");
    String host = entry.getString("host");
    if (host != null) {
      line.append(host).append(' ');
    }
    line.append(entry.getString("function", ""));
    Integer replica = entry.getInteger("replica");
    if (replica != null) {
      line.append('/').append(replica);
    }
    line.append(' ').append(entry.getString("stream", "")).append("  ");
    String trigger = entry.getString("trigger");
    if (trigger != null) {
      line.append("trigger=").append(trigger).append(' ');
    }
    String eventId = entry.getString("event_id");
    if (eventId != null) {
      line.append("event_id=").append(eventId).append(' ');
    }
    return line.append(entry.getString("message", "")).toString();
  }
}
