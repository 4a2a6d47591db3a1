package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code fnmesh tail TOPIC}: follows a topic of a running mesh and prints each CloudEvent. */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Follow a topic of a running mesh and print each CloudEvent, one line each (-v: whole).")
public final class TailCommand implements Callable<Integer> {

  private static final int MAX_DATA = 120;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "A topic the running mesh names.")
  String topic;

  @Option(names = "--from-beginning", description = "Start at the topic's first event, not at its end.")
  boolean fromBeginning;

  @Option(names = "--filter", paramLabel = "CESQL", description = "Print only the events this expression accepts.")
  String filter;

  @Option(names = "--count", description = "Stop after this many events (default: follow until interrupted).")
  int count = -1;

  @Option(names = {"-v", "--verbose"}, description = "Print each event whole, as structured JSON.")
  boolean verbose;

  @Mixin
  OperatorOptions operator = new OperatorOptions();

  @Override
  public Integer call() {
    MeshClient client = operator.client();
    String query = "?fromBeginning=" + fromBeginning
        + (filter == null ? "" : "&filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    HttpResponse<Stream<String>> stream;
    try {
      stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
          client.request("/api/topics/" + topic + "/events" + query).timeout(java.time.Duration.ofDays(365)).GET().build(),
          HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      System.err.println("fnmesh tail: cannot reach the mesh at " + operator.url + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    try (Stream<String> lines = stream.body()) {
      if (stream.statusCode() != 200) {
        System.err.println("fnmesh tail: " + stream.statusCode() + " " + String.join("\n", lines.toList()));
        return 1;
      }
      int printed = 0;
      Iterator<String> it = lines.iterator();
      while ((count < 0 || printed < count) && it.hasNext()) {
        String line = it.next();
        if (line.startsWith("data: ")) {
          JsonObject event = new JsonObject(line.substring("data: ".length()));
          System.out.println(verbose || operator.output == OperatorOptions.Output.json ? event.encode() : oneLine(event));
          System.out.flush();
          printed++;
        }
      }
      return 0;
    }
  }

  /** time, id, type, source, subject and the start of the data. */
  private static String oneLine(JsonObject event) {
    String shown = shownData(event);
    if (shown.length() > MAX_DATA) {
      shown = shown.substring(0, MAX_DATA - 3) + "...";
    }
    return String.join("  ", event.getString("time", "-"), event.getString("id", ""), event.getString("type", ""),
        event.getString("source", ""), event.getString("subject", "-"), shown);
  }

  /**
   * The data as a person reads it. The JSON format carries any data that is not JSON as {@code data_base64};
   * text (a {@code text/*} content type, or none and valid UTF-8) is shown decoded, other bytes as base64.
   */
  static String shownData(JsonObject event) {
    if (event.containsKey("data")) {
      Object data = event.getValue("data");
      return data instanceof String text ? text : String.valueOf(data);
    }
    String base64 = event.getString("data_base64", "");
    String type = event.getString("datacontenttype");
    if (type == null || type.startsWith("text/")) {
      try {
        byte[] bytes = Base64.getDecoder().decode(base64);
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (IllegalArgumentException | CharacterCodingException notText) {
        return base64;
      }
    }
    return base64;
  }
}
