package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusCommandTest {

  @Test
  void aTriggerThatIsNotSimplyRunningGetsItsReasonAndWarningsBelowTheTable() {
    JsonArray triggers = new JsonArray()
        .add(new JsonObject().put("name", "echo").put("state", "running"))
        .add(new JsonObject().put("name", "orders").put("state", "stalled")
            .put("error", "partition 3: the reply topic refuses records this large"))
        .add(new JsonObject().put("name", "audit").put("state", "running")
            .put("warnings", new JsonArray().add("topic audit has 1 replica, 3 asked")));

    assertEquals(List.of("", "orders: stalled: partition 3: the reply topic refuses records this large",
        "audit: warning: topic audit has 1 replica, 3 asked"), StatusCommand.problems(triggers));
  }

  @Test
  void triggersThatRunPrintNothingMore() {
    assertEquals(List.of(), StatusCommand.problems(new JsonArray().add(new JsonObject().put("name", "echo")
        .put("state", "running").putNull("error").put("warnings", new JsonArray()))));
  }
}
