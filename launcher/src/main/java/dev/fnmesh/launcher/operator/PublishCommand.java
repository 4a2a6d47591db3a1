package dev.fnmesh.launcher.operator;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code fnmesh publish TOPIC}: one event, or many in batches, to a topic of a running mesh. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish events to a topic of a running mesh: one, --count copies, or one per line of stdin (--ndjson).")
public final class PublishCommand implements Callable<Integer> {

  /** Events per batch request: well under the ingress's default limit of 1000. */
  static final int BATCH = 500;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "A topic the mesh declares.")
  String topic;

  @Option(names = "--type", required = true, description = "The events' type.")
  String type;

  @Option(names = "--source", description = "The events' source (default: ${DEFAULT-VALUE}).")
  String source = "/fnmesh-cli";

  @Option(names = "--id", description = "The event's id (default: a random UUID; with --count, the id and -N).")
  String id;

  @Option(names = "--subject", description = "The events' subject.")
  String subject;

  @Option(names = "--data", paramLabel = "JSON|@FILE|-", description = "The data: the text itself, @file, or - for stdin.")
  String data;

  @Option(names = "--content-type", description = "The data's media type (default: ${DEFAULT-VALUE}).")
  String contentType = "application/json";

  @Option(names = "--count", description = "Publish this many events with the same data (default: ${DEFAULT-VALUE}).")
  int count = 1;

  @Option(names = "--ndjson", description = "Publish one event per line of stdin, each line its JSON data.")
  boolean ndjson;

  @Mixin
  OperatorOptions operator = new OperatorOptions();

  @Override
  public Integer call() {
    MeshClient client = operator.client();
    try {
      int accepted;
      if (!ndjson && count == 1) {
        client.send(binary(client, EventData.read(data, System.in)));
        accepted = 1;
      } else {
        accepted = publishMany(client, ndjson ? stdinLines() : copies(EventData.read(data, System.in)));
      }
      if (operator.output == OperatorOptions.Output.json) {
        System.out.println(new JsonObject().put("topic", topic).put("accepted", accepted).encode());
      } else {
        System.out.println("published " + accepted + (accepted == 1 ? " event" : " events") + " to " + topic);
      }
      return 0;
    } catch (OperatorException | IllegalArgumentException | java.io.UncheckedIOException e) {
      System.err.println("fnmesh publish: " + e.getMessage());
      return 1;
    }
  }

  private HttpRequest binary(MeshClient client, byte[] body) {
    HttpRequest.Builder request = client.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", id == null ? UUID.randomUUID().toString() : id)
        .header("ce-source", source).header("ce-type", type).header("content-type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (subject != null) {
      request.header("ce-subject", subject);
    }
    return request.build();
  }

  /** Sends the datas in batches, each accepted or refused as a whole; a refusal stops with what was accepted before. */
  private int publishMany(MeshClient client, List<byte[]> datas) {
    boolean terminal = System.console() != null;
    int accepted = 0;
    for (int from = 0; from < datas.size(); from += BATCH) {
      JsonArray batch = new JsonArray();
      for (int i = from; i < Math.min(datas.size(), from + BATCH); i++) {
        batch.add(structured(datas.get(i), i));
      }
      try {
        client.send(client.request("/topics/" + topic).header("content-type", "application/cloudevents-batch+json")
            .POST(HttpRequest.BodyPublishers.ofString(batch.encode())).build());
      } catch (OperatorException e) {
        throw new OperatorException(e.getMessage() + " (" + accepted + " events accepted before)", e);
      }
      accepted += batch.size();
      if (terminal) {
        System.err.printf("\r%d/%d events", accepted, datas.size());
      }
    }
    if (terminal) {
      System.err.println();
    }
    return accepted;
  }

  private JsonObject structured(byte[] body, int index) {
    JsonObject event = new JsonObject().put("specversion", "1.0")
        .put("id", id == null ? UUID.randomUUID().toString() : id + "-" + (index + 1))
        .put("source", source).put("type", type).put("datacontenttype", contentType);
    if (subject != null) {
      event.put("subject", subject);
    }
    if (contentType.contains("json")) {
      try {
        event.put("data", Json.decodeValue(new String(body, StandardCharsets.UTF_8)));
      } catch (DecodeException e) {
        throw new IllegalArgumentException("event " + (index + 1) + ": the data is not JSON (" + e.getMessage()
            + "); give --content-type for other data");
      }
    } else {
      event.put("data_base64", Base64.getEncoder().encodeToString(body));
    }
    return event;
  }

  private List<byte[]> copies(byte[] body) {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    List<byte[]> datas = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      datas.add(body);
    }
    return datas;
  }

  private static List<byte[]> stdinLines() {
    List<byte[]> datas = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          datas.add(line.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
    }
    return datas;
  }
}
