package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code fnmesh invoke FUNCTION}: calls a function synchronously and prints its reply. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
    description = "Call a function of a running mesh with one event and print the reply's data.")
public final class InvokeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FUNCTION", description = "A function of the running mesh.")
  String function;

  @Option(names = "--data", paramLabel = "JSON|@FILE|-", description = "The data: the text itself, @file, or - for stdin.")
  String data;

  @Option(names = "--content-type", description = "The data's media type (default: ${DEFAULT-VALUE}).")
  String contentType = "application/json";

  @Option(names = "--type", description = "The event's type (default: ${DEFAULT-VALUE}).")
  String type = "dev.fnmesh.invoke";

  @Option(names = "--source", description = "The event's source (default: ${DEFAULT-VALUE}).")
  String source = "/fnmesh-cli";

  @Option(names = "--header", paramLabel = "NAME=VALUE", description = "An extra request header, such as ce-subject=x.")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"}, description = "Print the reply's status and attributes before its data.")
  boolean verbose;

  @Mixin
  OperatorOptions operator = new OperatorOptions();

  @Override
  public Integer call() {
    MeshClient client = operator.client();
    try {
      HttpRequest.Builder request = client.request("/functions/" + function)
          .header("ce-specversion", "1.0").header("ce-id", UUID.randomUUID().toString())
          .header("ce-source", source).header("ce-type", type).header("content-type", contentType)
          .POST(HttpRequest.BodyPublishers.ofByteArray(EventData.read(data, System.in)));
      headers.forEach(request::setHeader);
      HttpResponse<String> reply = client.send(request.build());
      Map<String, String> attributes = new TreeMap<>();
      reply.headers().map().forEach((name, values) -> {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ce-") || lower.equals("content-type")) {
          attributes.put(lower.startsWith("ce-") ? lower.substring(3) : "datacontenttype", String.join(",", values));
        }
      });
      if (operator.output == OperatorOptions.Output.json) {
        System.out.println(new JsonObject().put("status", reply.statusCode())
            .put("attributes", new JsonObject(new TreeMap<String, Object>(attributes))).put("data", reply.body()).encode());
      } else {
        if (verbose) {
          System.out.println("status: " + reply.statusCode());
          attributes.forEach((name, value) -> System.out.println(name + ": " + value));
          System.out.println();
        }
        System.out.println(reply.body());
      }
      return 0;
    } catch (OperatorException | java.io.UncheckedIOException e) {
      System.err.println("fnmesh invoke: " + e.getMessage());
      return 1;
    }
  }
}
