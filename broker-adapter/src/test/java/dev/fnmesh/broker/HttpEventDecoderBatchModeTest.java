package dev.fnmesh.broker;

import static dev.fnmesh.broker.DecoderRequests.accepted;
import static dev.fnmesh.broker.DecoderRequests.decodeBatch;
import static dev.fnmesh.broker.DecoderRequests.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Batch mode: a JSON array of structured events sent as {@code application/cloudevents-batch+json}. The
 * batch is accepted or refused as a whole; a refusal names the element at fault.
 */
class HttpEventDecoderBatchModeTest {

  private static String event(String id) {
    return """
        {"specversion": "1.0", "id": "%s", "source": "/shop/orders", "type": "dev.fnmesh.order.created"}"""
        .formatted(id);
  }

  @Test
  void readsEveryEventOfABatchInRequestOrder() {
    List<CloudEvent> events = accepted(decodeBatch("[" + event("c") + "," + event("a") + "," + event("b") + "]"));

    assertEquals(List.of("c", "a", "b"), events.stream().map(CloudEvent::getId).toList());
  }

  @Test
  void acceptsAnEmptyBatch() {
    assertEquals(List.of(), accepted(decodeBatch("[]")));
  }

  @Test
  void refusesTheWholeBatchForOneEventWithoutIdNamingItsIndex() {
    String second = """
        {"specversion": "1.0", "source": "/shop/orders", "type": "dev.fnmesh.order.created"}""";

    EventProblem problem = refusal(decodeBatch("[" + event("a") + "," + second + "," + event("c") + "]"));

    assertEquals(EventProblem.badRequest("[1].id", "event 1 of the batch: required attribute 'id' is missing"), problem);
  }

  @Test
  void refusesABatchElementThatIsNotAnObject() {
    EventProblem problem = refusal(decodeBatch("[" + event("a") + ", \"b\"]"));

    assertEquals(400, problem.status());
    assertEquals("[1].body", problem.field());
  }

  @Test
  void refusesABatchThatIsNotAnArray() {
    EventProblem problem = refusal(decodeBatch(event("a")));

    assertEquals(400, problem.status());
    assertEquals("body", problem.field());
    assertTrue(problem.message().contains("must be a JSON array"), problem.message());
  }

  @Test
  void refusesAMalformedBatch() {
    EventProblem problem = refusal(decodeBatch("[" + event("a") + ","));

    assertEquals(400, problem.status());
    assertEquals("body", problem.field());
    assertTrue(problem.message().startsWith("malformed JSON: "), problem.message());
  }

  @Test
  void refusesAnEmptyBatchBody() {
    assertEquals(EventProblem.badRequest("body", "the body is empty; a JSON CloudEvent was expected"),
        refusal(decodeBatch("")));
  }

  // Object data under a non-JSON datacontenttype passes our rules and is refused by the SDK's parser: a
  // fault only the SDK finds must be located in the batch just like one our rules find.
  private static final String TEXT_EVENT_WITH_OBJECT_DATA = """
      {"specversion": "1.0", "id": "b", "source": "/shop/orders", "type": "dev.fnmesh.order.created",
       "datacontenttype": "text/plain", "data": {"text": "hello"}}""";

  @Test
  void namesTheBatchElementOfAFaultOnlyTheSdkFinds() {
    EventProblem problem = refusal(decodeBatch("[" + event("a") + "," + TEXT_EVENT_WITH_OBJECT_DATA + "]"));

    assertEquals(400, problem.status());
    assertEquals("[1].body", problem.field());
    assertTrue(problem.message().startsWith("event 1 of the batch: not a valid structured CloudEvent"), problem.message());
  }

  @Test
  void namesTheBatchElementOfAFaultOnlyTheSdkFindsInABatchOfOne() {
    EventProblem problem = refusal(decodeBatch("[" + TEXT_EVENT_WITH_OBJECT_DATA + "]"));

    assertEquals(400, problem.status());
    assertEquals("[0].body", problem.field());
    assertTrue(problem.message().startsWith("event 0 of the batch: not a valid structured CloudEvent"), problem.message());
  }
}
