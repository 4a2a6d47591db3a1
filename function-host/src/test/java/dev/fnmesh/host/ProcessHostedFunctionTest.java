package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fnmesh.examples.Echo;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionKind;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hosted function with instances, as process functions have: one per replica, a shared one for
 * synchronous calls started on the first call, and Java functions unchanged.
 */
@ExtendWith(VertxExtension.class)
class ProcessHostedFunctionTest {

  private static final Duration AMPLE = Duration.ofSeconds(10);

  private static CloudEvent event(String id) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType("t").build();
  }

  private static HostedFunction declared(Vertx vertx, FunctionInstances instances) {
    CommandKind command = new CommandKind(List.of("fn"), OptionalInt.empty(), CommandKind.DEFAULT_READINESS,
        CommandKind.DEFAULT_WORKING_DIR, Map.of(), FunctionKind.DEFAULT_CONCURRENCY,
        FunctionKind.DEFAULT_MAX_WAITING);
    return new ProcessHostedFunction(command, Path.of("."), new FunctionContext(vertx, "fn", Map.of()), instances);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Instances that echo with their replica number as subject; the first {@code failures} starts fail. */
  private static final class CountingInstances implements FunctionInstances {
    final AtomicInteger started = new AtomicInteger();
    final List<Integer> stopped = new CopyOnWriteArrayList<>();
    final AtomicInteger failures;
    final Promise<Void> gate;

    CountingInstances(int failures, Promise<Void> gate) {
      this.failures = new AtomicInteger(failures);
      this.gate = gate;
    }

    @Override
    public Future<Instance> start() {
      if (failures.getAndDecrement() > 0) {
        return Future.failedFuture("command [fn] did not listen");
      }
      int replica = started.getAndIncrement();
      QueuedFunction function = new QueuedFunction() {
        @Override
        public Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
          return Future.succeededFuture(List.of(CloudEventBuilder.v1(event).withSubject("replica-" + replica).build()));
        }

        @Override
        public Future<List<CloudEvent>> applyAllUnlessBusy(CloudEvent event, FunctionContext context) {
          return applyAll(event, context);
        }
      };
      return gate.future().map(v -> new Instance(replica, function, () -> {
        stopped.add(replica);
        return Future.succeededFuture();
      }));
    }
  }

  private static Future<CloudEvent> invoke(Vertx vertx, HostedFunction function, CloudEvent event) {
    Promise<CloudEvent> outcome = Promise.promise();
    vertx.runOnContext(v -> function.invoke(event, AMPLE).map(HostedFunctionTest::onlyReply).onComplete(outcome));
    return outcome.future();
  }

  @Test
  void startsANewInstanceForEveryReplicaAndStopsEachOnItsOwn(Vertx vertx) throws Exception {
    CountingInstances instances = new CountingInstances(0, Promise.promise());
    instances.gate.complete();
    HostedFunction declared = declared(vertx, instances);

    HostedFunction first = await(declared.startInstance());
    HostedFunction second = await(declared.startInstance());
    CloudEvent reply = await(invoke(vertx, second, event("e-1")));
    await(first.stopInstance());

    assertNotSame(first, second);
    assertEquals("replica-1", reply.getSubject());
    assertEquals(List.of(0), instances.stopped);
  }

  @Test
  void startsOneSharedInstanceOnTheFirstSynchronousCallAndStopsIt(Vertx vertx) throws Exception {
    CountingInstances instances = new CountingInstances(0, Promise.promise());
    HostedFunction declared = declared(vertx, instances);
    assertEquals(0, instances.started.get());

    // Calls that arrive while the instance is starting wait for that one instead of starting their own.
    List<Future<CloudEvent>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(invoke(vertx, declared, event("e-" + i)));
    }
    vertx.setTimer(50, id -> instances.gate.complete());
    await(Future.all(calls));
    await(invoke(vertx, declared, event("e-3")));
    await(declared.stopInstance());

    assertEquals(1, instances.started.get());
    assertEquals("replica-0", calls.get(2).result().getSubject());
    assertEquals(List.of(0), instances.stopped);
  }

  @Test
  void triesAgainOnTheNextCallWhenTheSharedInstanceDidNotStart(Vertx vertx) throws Exception {
    CountingInstances instances = new CountingInstances(1, Promise.promise());
    instances.gate.complete();
    HostedFunction declared = declared(vertx, instances);

    Throwable failure = await(invoke(vertx, declared, event("e-1")).transform(o -> Future.succeededFuture(o.cause())));
    CloudEvent reply = await(invoke(vertx, declared, event("e-2")));

    assertEquals("command [fn] did not listen", failure.getMessage());
    assertEquals("replica-0", reply.getSubject());
  }

  @Test
  void givesEveryReplicaTheSameJavaFunctionAndStopsNothing(Vertx vertx) throws Exception {
    HostedFunction java = new JavaHostedFunction(new Echo(), new FunctionContext(vertx, "echo", Map.of()), false);

    assertSame(java, await(java.startInstance()));
    await(java.stopInstance());
    assertEquals("e-1", await(invoke(vertx, java, event("e-1"))).getId());
  }
}
