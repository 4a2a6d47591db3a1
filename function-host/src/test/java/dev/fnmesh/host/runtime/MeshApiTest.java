package dev.fnmesh.host.runtime;

import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/mesh} and {@code /api/triggers} over HTTP, on a mesh runtime whose target records what it runs. */
@ExtendWith(VertxExtension.class)
class MeshApiTest {

  private static final String MESH = """
      functions:
        identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
      triggers:
        work:
          kafka: { topic: orders, partitions: 4 }
          function: identity
          scale: { min: 2, max: 4 }
      """;
  private static final String ANOTHER_MESH = MESH.replace("work:", "other:");
  private static final String COMMAND_MESH = """
      functions:
        identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
        build: { command: [sh, -c, "touch built"] }
      triggers:
        work:
          kafka: { topic: orders, partitions: 4 }
          function: build
      """;

  private final RecordingTarget target = new RecordingTarget();
  private HttpServer server;
  private WebClient client;
  private MeshRuntime runtime;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      join(server.close());
    }
  }

  @Test
  void getMeshAnswers503BeforeAnyMeshRuns(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());

    HttpResponse<Buffer> response = join(client.get("/api/mesh").send());

    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals("mesh", response.bodyAsJsonObject().getString("field"));
  }

  @Test
  void aMeshPutRunsAndGetMeshShowsItWithWhereItCameFrom(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());

    HttpResponse<Buffer> put = join(client.put("/api/mesh").sendBuffer(Buffer.buffer(MESH)));

    assertEquals(200, put.statusCode(), put.bodyAsString());
    assertEquals("applied", put.bodyAsJsonObject().getString("status"));
    assertEquals("work", put.bodyAsJsonObject().getJsonArray("triggers").getJsonObject(0).getString("name"));
    assertEquals(1, target.runs.size());
    JsonObject mesh = join(client.get("/api/mesh").send()).bodyAsJsonObject();
    assertEquals("PUT /api/mesh", mesh.getString("source"));
    assertEquals(4, mesh.getJsonObject("mesh").getJsonObject("triggers").getJsonObject("work").getJsonObject("kafka")
        .getInteger("partitions"));
  }

  @Test
  void aMeshPutWithTheFormContentTypeCurlSendsIsReadAsYaml(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());

    HttpResponse<Buffer> put = join(client.put("/api/mesh")
        .putHeader("content-type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer(MESH)));

    assertEquals(200, put.statusCode(), put.bodyAsString());
    assertEquals(1, target.runs.size());
  }

  @Test
  void anInvalidMeshPutAnswers400NamingTheKeyAndTheRunningMeshStays(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());
    join(runtime.apply(MESH, "mesh.yaml"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh")
        .sendBuffer(Buffer.buffer(ANOTHER_MESH.replace("partitions: 4", "partitions: many"))));

    assertEquals(400, put.statusCode(), put.bodyAsString());
    JsonObject problem = put.bodyAsJsonObject();
    assertEquals("mesh", problem.getString("field"));
    JsonArray problems = problem.getJsonArray("problems");
    assertEquals(1, problems.size(), problems.encode());
    assertEquals("triggers.other.kafka.partitions", problems.getJsonObject(0).getString("key"));
    assertTrue(problems.getJsonObject(0).getInteger("line") > 0, problems.encode());
    assertTrue(problem.getString("message").contains("many"), problem.getString("message"));
    assertEquals(1, target.runs.size(), "nothing new was run");
    JsonObject mesh = join(client.get("/api/mesh").send()).bodyAsJsonObject();
    assertEquals("mesh.yaml", mesh.getString("source"));
    assertEquals(List.of("work"), List.copyOf(mesh.getJsonObject("mesh").getJsonObject("triggers").fieldNames()));
  }

  @Test
  void aMeshPutThatCannotBePlannedAnswers400NamingTheFunctionAndTheRunningMeshStays(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());
    join(runtime.apply(MESH, "mesh.yaml"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh")
        .sendBuffer(Buffer.buffer(MESH.replace("dev.fnmesh.host.runtime.IdentityFunction", "dev.fnmesh.NoSuchFunction"))));

    assertEquals(400, put.statusCode(), put.bodyAsString());
    String message = put.bodyAsJsonObject().getString("message");
    assertTrue(message.contains("function 'identity'") && message.contains("dev.fnmesh.NoSuchFunction"), message);
    assertEquals(1, target.runs.size(), "nothing new was run");
    assertEquals("mesh.yaml", join(client.get("/api/mesh").send()).bodyAsJsonObject().getString("source"));
  }

  @Test
  void aMeshPutWithACommandFunctionAnswers403NamingItAndTheRunningMeshStays(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());
    join(runtime.apply(MESH, "mesh.yaml"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh").sendBuffer(Buffer.buffer(COMMAND_MESH)));

    assertEquals(403, put.statusCode(), put.bodyAsString());
    JsonObject problem = put.bodyAsJsonObject();
    assertEquals(403, problem.getInteger("status"));
    assertEquals("functions.build.command", problem.getString("field"));
    String message = problem.getString("message");
    assertTrue(message.contains("--allow-api-commands") && message.contains("mesh file"), message);
    assertEquals(1, target.runs.size(), "nothing new was run");
    assertEquals("mesh.yaml", join(client.get("/api/mesh").send()).bodyAsJsonObject().getString("source"));
  }

  @Test
  void aMeshPutWithAnImageFunctionAnswers403NamingItAndTheRunningMeshStays(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());
    join(runtime.apply(MESH, "mesh.yaml"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh").sendBuffer(Buffer.buffer(
        COMMAND_MESH.replace("{ command: [sh, -c, \"touch built\"] }", "{ image: ghcr.io/acme/build:1, port: 8080 }"))));

    assertEquals(403, put.statusCode(), put.bodyAsString());
    JsonObject problem = put.bodyAsJsonObject();
    assertEquals("functions.build.image", problem.getString("field"));
    assertTrue(problem.getString("message").contains("may not start containers"), problem.getString("message"));
    assertEquals(1, target.runs.size(), "nothing new was run");
  }

  @Test
  void theMeshFilesCommandsAreRefusedWhenTheSameMeshIsPut(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());
    join(runtime.apply(COMMAND_MESH, "mesh.yaml"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh").sendBuffer(Buffer.buffer(COMMAND_MESH)));

    assertEquals(403, put.statusCode(), put.bodyAsString());
    assertEquals(1, target.runs.size());
  }

  @Test
  void aMeshPutWithACommandFunctionRunsWhenApiCommandsAreAllowed(Vertx vertx) throws Exception {
    serve(vertx, runtime -> new MeshApi(runtime, true));
    join(runtime.apply(MESH, "mesh.yaml"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh").sendBuffer(Buffer.buffer(COMMAND_MESH)));

    assertEquals(200, put.statusCode(), put.bodyAsString());
    assertEquals(2, target.runs.size());
    assertEquals("PUT /api/mesh", join(client.get("/api/mesh").send()).bodyAsJsonObject().getString("source"));
  }

  @Test
  void getTriggersShowsEachTriggerWithItsReplicasAndScaling(Vertx vertx) throws Exception {
    serve(vertx, Optional.empty());
    join(runtime.apply(MESH, "mesh.yaml"));

    HttpResponse<Buffer> response = join(client.get("/api/triggers").send());

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    JsonArray triggers = response.bodyAsJsonObject().getJsonArray("triggers");
    assertEquals(1, triggers.size(), triggers.encode());
    JsonObject work = triggers.getJsonObject(0);
    assertEquals("work", work.getString("name"));
    assertEquals("kafka", work.getString("kind"));
    assertEquals("orders", work.getString("topic"));
    assertEquals("identity", work.getString("function"));
    assertEquals("running", work.getString("state"));
    assertEquals(2, work.getInteger("replicas"));
    assertEquals(5L, work.getJsonObject("events").getLong("received"));
    JsonObject scaling = work.getJsonObject("scaling");
    assertEquals(3, scaling.getInteger("desiredReplicas"));
    assertEquals(7L, scaling.getLong("lag"));
    assertEquals(new JsonObject().put("0", 3L).put("1", 4L), scaling.getJsonObject("lagByPartition"));
    assertEquals("lag 7 over 2 partitions", scaling.getString("lastDecision"));
    assertEquals(RecordingTarget.DECIDED_AT.toString(), scaling.getString("decidedAt"));
    assertEquals(new JsonObject().put("first", 2).put("second", 1), scaling.getJsonObject("hosts"));
  }

  @Test
  void aHostRefusesAMeshPutWith405AllowGetAndSaysWhereToSendIt(Vertx vertx) throws Exception {
    serve(vertx, Optional.of("host first runs the mesh of its controller: PUT /api/mesh to the controller"));
    join(runtime.apply(MESH, "mesh.yaml (from the controller)"));

    HttpResponse<Buffer> put = join(client.put("/api/mesh").sendBuffer(Buffer.buffer(ANOTHER_MESH)));

    assertEquals(405, put.statusCode(), put.bodyAsString());
    assertEquals("GET", put.getHeader("allow"));
    assertTrue(put.bodyAsJsonObject().getString("message").contains("to the controller"), put.bodyAsString());
    assertEquals(1, target.runs.size(), "nothing new was run");
    HttpResponse<Buffer> get = join(client.get("/api/mesh").send());
    assertEquals(200, get.statusCode());
    assertEquals("mesh.yaml (from the controller)", get.bodyAsJsonObject().getString("source"));
  }

  private void serve(Vertx vertx, Optional<String> meshOwner) throws Exception {
    serve(vertx, runtime -> new MeshApi(runtime, meshOwner));
  }

  private void serve(Vertx vertx, Function<MeshRuntime, MeshApi> api) throws Exception {
    MeshPlanner planner = MeshPlanner.create(vertx, getClass().getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
    runtime = new MeshRuntime(vertx, new MeshLoader(), planner, target);
    Router router = Router.router(vertx);
    api.apply(runtime).mount(router);
    server = join(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs nothing: records each mesh it is given and shows its triggers with fixed counts and scaling. */
  private static final class RecordingTarget implements MeshTarget {
    static final Instant DECIDED_AT = Instant.parse("2025-01-02T03:04:05Z");
    final List<MeshRuntime.Applied> runs = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> run(MeshRuntime.Applied mesh) {
      runs.add(mesh);
      return Future.succeededFuture();
    }

    @Override
    public List<TriggerStatus> triggers() {
      if (runs.isEmpty()) {
        return List.of();
      }
      return runs.get(runs.size() - 1).plan().triggers().values().stream().map(trigger -> new TriggerStatus(
          trigger.spec().name(), trigger.spec().kind(), trigger.spec().topic(), trigger.spec().function(),
          trigger.spec().replyTopics(), "running", Optional.empty(), trigger.initialReplicas(),
          new TriggerStats.Snapshot(5, 4, 1, 0, 0),
          new ScalingStatus(3, 7, Map.of(0, 3L, 1, 4L), Optional.of("lag 7 over 2 partitions"), Optional.of(DECIDED_AT),
              Map.of("first", 2, "second", 1)))).toList();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }
  }
}
