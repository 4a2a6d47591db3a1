package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.examples.Echo;
import dev.fnmesh.examples.Fail;
import dev.fnmesh.examples.Greeter;
import dev.fnmesh.examples.Sleep;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Invoking a function: its reply or failure is the outcome, a function that does not answer is cut off at
 * its timeout, and a blocking function runs on a worker thread.
 */
@ExtendWith(VertxExtension.class)
class HostedFunctionTest {

  private static final Duration AMPLE = Duration.ofSeconds(10);

  private static CloudEvent order(String json) {
    return CloudEventBuilder.v1()
        .withId("order-1")
        .withSource(URI.create("/shop/orders"))
        .withType("dev.fnmesh.order.created")
        .withData("application/json", json.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static HostedFunction hosted(Vertx vertx, Function function, boolean blocking) {
    return new JavaHostedFunction(function, new FunctionContext(vertx, "under-test", Map.of()), blocking);
  }

  /** The one reply of an invocation, or null for none. */
  static CloudEvent onlyReply(Replies replies) {
    assertTrue(replies.size() <= 1, "at most one reply, got " + replies.size());
    return replies.isEmpty() ? null : replies.events().get(0);
  }

  /** Invokes on an event loop context, as the host does. */
  private static Future<CloudEvent> invokeOnContext(Vertx vertx, HostedFunction function, CloudEvent event,
      Duration timeout) {
    Promise<CloudEvent> outcome = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        function.invoke(event, timeout).map(HostedFunctionTest::onlyReply).onComplete(outcome);
      } catch (RuntimeException e) {
        // invoke promises a failed future, never an exception; make a throw fail every test.
        outcome.fail(new AssertionError("invoke threw instead of failing its future", e));
      }
    });
    return outcome.future();
  }

  @Test
  void returnsTheReplyOfAFunctionThatAnswersAtOnce(Vertx vertx, VertxTestContext test) {
    CloudEvent event = order("{}");

    invokeOnContext(vertx, hosted(vertx, new Echo(), false), event, AMPLE)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertSame(event, reply);
          test.completeNow();
        })));
  }

  @Test
  void returnsTheReplyOfAFunctionThatAnswersLaterWithinItsTimeout(Vertx vertx, VertxTestContext test) {
    CloudEvent event = order("{\"ms\": 20}");

    invokeOnContext(vertx, hosted(vertx, new Sleep(), false), event, AMPLE)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertSame(event, reply);
          test.completeNow();
        })));
  }

  @Test
  void returnsTheGreetingOfTheGreeterForTheNameInTheData(Vertx vertx, VertxTestContext test) {
    invokeOnContext(vertx, hosted(vertx, new Greeter(), false), order("{\"name\": \"Ada\"}"), AMPLE)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertArrayEquals("Ada, Hello Serverless World!".getBytes(StandardCharsets.UTF_8), reply.getData().toBytes());
          assertEquals("order-1", reply.getSubject());
          assertEquals(URI.create("/functions/under-test"), reply.getSource());
          test.completeNow();
        })));
  }

  @Test
  void failsWithTheFailureOfAFunctionThatFails(Vertx vertx, VertxTestContext test) {
    invokeOnContext(vertx, hosted(vertx, new Fail(), false), order("{}"), AMPLE)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertInstanceOf(IllegalStateException.class, failure);
          assertEquals("the fail function fails every event (id order-1)", failure.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void failsWithTheExceptionAFunctionThrows(Vertx vertx, VertxTestContext test) {
    Function throwing = (event, context) -> {
      throw new IllegalArgumentException("no orders on Sundays");
    };

    invokeOnContext(vertx, hosted(vertx, throwing, false), order("{}"), AMPLE)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertInstanceOf(IllegalArgumentException.class, failure);
          assertEquals("no orders on Sundays", failure.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void failsWhenAFunctionReturnsNoFuture(Vertx vertx, VertxTestContext test) {
    invokeOnContext(vertx, hosted(vertx, (event, context) -> null, false), order("{}"), AMPLE)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertEquals("function 'under-test' returned no future", failure.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void failsWithATimeoutWhenAFunctionNeverAnswers(Vertx vertx, VertxTestContext test) {
    Function silent = (event, context) -> Promise.<CloudEvent>promise().future();

    invokeOnContext(vertx, hosted(vertx, silent, false), order("{}"), Duration.ofMillis(100))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertInstanceOf(TimeoutException.class, failure);
          assertEquals("function 'under-test' did not answer within 100 ms", failure.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void failsWithATimeoutWhenAFunctionAnswersTooLate(Vertx vertx, VertxTestContext test) {
    invokeOnContext(vertx, hosted(vertx, new Sleep(), false), order("{\"ms\": 60000}"), Duration.ofMillis(100))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertInstanceOf(TimeoutException.class, failure);
          test.completeNow();
        })));
  }

  @Test
  void callsANonBlockingFunctionOnTheCallersEventLoop(Vertx vertx, VertxTestContext test) {
    AtomicReference<Context> calledOn = new AtomicReference<>();
    AtomicBoolean onEventLoop = new AtomicBoolean();
    Function recording = (event, context) -> {
      calledOn.set(Vertx.currentContext());
      onEventLoop.set(Context.isOnEventLoopThread());
      return Future.succeededFuture(event);
    };
    Context caller = vertx.getOrCreateContext();

    caller.runOnContext(v -> hosted(vertx, recording, false).invoke(order("{}"), AMPLE)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertSame(caller, calledOn.get());
          assertTrue(onEventLoop.get());
          test.completeNow();
        }))));
  }

  @Test
  void callsABlockingFunctionOnAWorkerThread(Vertx vertx, VertxTestContext test) {
    AtomicBoolean onWorker = new AtomicBoolean();
    Function blocking = (event, context) -> {
      onWorker.set(Context.isOnWorkerThread());
      return Future.succeededFuture(event);
    };

    invokeOnContext(vertx, hosted(vertx, blocking, true), order("{}"), AMPLE)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertTrue(onWorker.get());
          test.completeNow();
        })));
  }

  @Test
  void completesABlockingFunctionsOutcomeOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    Function blocking = (event, context) -> Future.succeededFuture(event);
    Context caller = vertx.getOrCreateContext();

    caller.runOnContext(v -> hosted(vertx, blocking, true).invoke(order("{}"), AMPLE)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertSame(caller, Vertx.currentContext());
          test.completeNow();
        }))));
  }

  @Test
  void failsWithTheExceptionABlockingFunctionThrows(Vertx vertx, VertxTestContext test) {
    Function throwing = (event, context) -> {
      throw new IllegalArgumentException("disk full");
    };

    invokeOnContext(vertx, hosted(vertx, throwing, true), order("{}"), AMPLE)
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertInstanceOf(IllegalArgumentException.class, failure);
          assertEquals("disk full", failure.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void failsWhenABlockingFunctionReturnsNoFuture(Vertx vertx, VertxTestContext test) {
    invokeOnContext(vertx, hosted(vertx, (event, context) -> null, true), order("{}"), Duration.ofSeconds(1))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertEquals("function 'under-test' returned no future", failure.getMessage());
          test.completeNow();
        })));
  }
}
