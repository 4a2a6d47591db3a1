package dev.fnmesh.launcher.scaffold;

import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.load.MeshLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeshFileEditTest {

  private final MeshLoader loader = new MeshLoader();

  @Test
  void theFunctionAndItsTriggerGoAtTheEndOfTheirBlocksAndEveryCommentStays() {
    String text = """
        # my mesh
        functions:
            echo: { java: echo }   # four spaces here
        # between
        triggers:
            echo:
              kafka: { topic: echo }
              function: echo
        topics:
          audit: { partitions: 1 }
        """;

    String edited = MeshFileEdit.addFunction(text, "hello", "{ command: [python3, ../functions/hello/main.py] }");

    MeshConfig mesh = loader.parse(edited, "edited.yaml");
    assertEquals("hello", mesh.triggers().get("hello").function());
    assertEquals("hello", mesh.triggers().get("hello").topic());
    assertEquals("hello.replies", mesh.triggers().get("hello").replyTopics().get(0));
    assertTrue(mesh.functions().containsKey("echo") && mesh.topics().containsKey("audit"));
    assertTrue(edited.contains("# my mesh") && edited.contains("# four spaces here") && edited.contains("# between"));
    assertTrue(edited.contains("    hello: { command: [python3, ../functions/hello/main.py] }"), edited);
  }

  @Test
  void aMissingBlockIsAdded() {
    String edited = MeshFileEdit.addFunction("functions:\n  echo: { java: echo }\n", "hello", "{ java: echo }");

    assertEquals("hello", loader.parse(edited, "edited.yaml").triggers().get("hello").function());
    assertTrue(edited.endsWith("triggers:\n  hello:\n    kafka: { topic: hello, partitions: 1 }\n    function: hello\n"
        + "    reply: { topic: hello.replies }\n"), edited);
  }

  @Test
  void aClassNameIsTheNameInCamelCase() {
    assertEquals("OrderTotals", NewCommand.className("order-totals"));
    assertEquals("F2fa", NewCommand.className("2fa"));
  }
}
