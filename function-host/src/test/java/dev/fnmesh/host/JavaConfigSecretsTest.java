package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fnmesh.broker.webhook.SecretResolver;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.SecretRef;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A Java function whose config names a secret: it is called with the secret, read where it runs, or not started. */
@ExtendWith(VertxExtension.class)
class JavaConfigSecretsTest {

  private static final Duration AMPLE = Duration.ofSeconds(10);
  private static final Map<String, Object> CONFIG = Map.of("token", new SecretRef(Optional.of("API_TOKEN"),
      Optional.empty()), "region", "eu");

  private final Map<String, String> environment = new ConcurrentHashMap<>();
  private final FunctionSecrets secrets = new FunctionSecrets(new SecretResolver(environment::get));

  /** Answers with the config it was called with, and notes the context it ran on. */
  private static final class ConfigEcho implements Function {
    volatile Context calledOn;

    @Override
    public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
      calledOn = Vertx.currentContext();
      return Future.succeededFuture(CloudEventBuilder.v1(event).withData("text/plain",
          (context.config().get("token") + "/" + context.config().get("region")).getBytes(StandardCharsets.UTF_8))
          .build());
    }
  }

  private static CloudEvent event() {
    return CloudEventBuilder.v1().withId("1").withSource(URI.create("/test")).withType("t").build();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    return await(future.transform(outcome -> Future.succeededFuture(outcome.failed() ? outcome.cause() : null)));
  }

  @Test
  void isCalledOnTheCallersEventLoopWithTheSecretItsConfigNames(Vertx vertx) throws Exception {
    environment.put("API_TOKEN", "s3cret");
    ConfigEcho echo = new ConfigEcho();
    JavaHostedFunction function = new JavaHostedFunction(echo, new FunctionContext(vertx, "f", CONFIG), false, secrets);
    Context caller = vertx.getOrCreateContext();
    Promise<CloudEvent> reply = Promise.promise();

    caller.runOnContext(v -> function.invoke(event(), AMPLE).map(HostedFunctionTest::onlyReply).onComplete(reply));

    assertEquals("s3cret/eu", new String(await(reply.future()).getData().toBytes(), StandardCharsets.UTF_8));
    assertSame(caller, echo.calledOn);
    assertEquals(CONFIG, function.context().config(), "the declared context keeps the reference");
  }

  @Test
  void doesNotStartWhileTheSecretIsMissingAndStartsOnceItIsThere(Vertx vertx) throws Exception {
    JavaHostedFunction function = new JavaHostedFunction(new ConfigEcho(), new FunctionContext(vertx, "f", CONFIG),
        false, secrets);

    MeshException missing = assertInstanceOf(MeshException.class, failureOf(function.startInstance()));
    assertEquals("functions.f.config.token", missing.problems().get(0).key());
    assertInstanceOf(MeshException.class, failureOf(function.invoke(event(), AMPLE)));

    environment.put("API_TOKEN", "s3cret");
    assertSame(function, await(function.startInstance()));
  }

  @Test
  void aContextShowsItsConfigKeysButNoValue(Vertx vertx) {
    String shown = new FunctionContext(vertx, "f", Map.of("token", "s3cret")).toString();

    assertEquals("FunctionContext[functionName=f, config keys=[token]]", shown);
    assertFalse(shown.contains("s3cret"));
  }
}
