package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `fnmesh new` writes a function and adds it to the mesh file of a running mesh, which runs it without a restart. */
@ExtendWith(KafkaFixture.class)
class ScaffoldIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void aNewPythonFunctionAnswersItsTopic() throws Exception {
    newFunctionAnswers("py-" + System.nanoTime() % 100_000, "python");
  }

  @Test
  void aNewJavaFunctionIsBuiltDeployedAndAnswersItsTopic() throws Exception {
    String name = "jv-" + System.nanoTime() % 100_000;
    newFunctionAnswers(name, "java");
    Path source = dir.resolve("functions").resolve(name).resolve("src/main/java/functions");
    assertTrue(Files.list(source).anyMatch(path -> path.toString().endsWith(".java")));
    Files.delete(dir.resolve("jars").resolve(name + ".jar"));

    FnmeshCli.Run deployed = FnmeshCli.run(0, "deploy", name, "--dir", dir.resolve("functions").toString(),
        "--functions-dir", dir.resolve("jars").toString());

    assertEquals(0, deployed.exitCode(), deployed.err());
    assertTrue(Files.exists(dir.resolve("jars").resolve(name + ".jar")));
  }

  private void newFunctionAnswers(String name, String language) throws Exception {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    try (TestMesh mesh = TestMesh.start("""
        # a mesh a user keeps
        functions:
          echo: { java: echo }
        """, jars)) {
      FnmeshCli.Run created = FnmeshCli.run(mesh.httpPort(), "new", name, "--lang", language,
          "--config", mesh.meshFile().toString(), "--dir", dir.resolve("functions").toString(),
          "--functions-dir", jars.toString());
      assertEquals(0, created.exitCode(), created.err());
      assertTrue(Files.readString(mesh.meshFile()).startsWith("# a mesh a user keeps"));
      await().atMost(WAIT).until(() -> FnmeshCli.run(mesh.httpPort(), "status", "-o", "json").out().contains("\"" + name + "\""));

      FnmeshCli.Run published = FnmeshCli.run(mesh.httpPort(), "publish", name, "--type", "com.example.hello",
          "--id", "new-1", "--data", "{\"hello\":\"world\"}");
      assertEquals(0, published.exitCode(), published.err());

      List<CloudEvent> replies = TestMesh.readEvents(name + ".replies", 1, WAIT);
      assertEquals(1, replies.size(), "no reply from the new " + language + " function");
      JsonObject reply = new JsonObject(new String(replies.get(0).getData().toBytes()));
      assertEquals(name, reply.getString("function"));
      assertEquals("com.example.hello", reply.getString("type"));
    }
  }
}
