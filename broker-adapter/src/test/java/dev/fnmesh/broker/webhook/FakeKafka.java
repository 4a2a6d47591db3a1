package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.PublishException;
import dev.fnmesh.broker.TopicAdmin;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A publisher and a topic admin that record what they are asked and acknowledge (or fail) at once, for
 * tests of the HTTP side without a broker. Proxies, so they keep compiling when the interfaces grow.
 */
final class FakeKafka {

  record Published(String topic, CloudEvent event) {}

  final List<Published> published = new CopyOnWriteArrayList<>();
  final List<String> ensuredTopics = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  /** From now on every publish fails the way the real publisher does when Kafka does not answer. */
  void goDown() {
    down = true;
  }

  /** From now on publishes succeed again. */
  void comeBack() {
    down = false;
  }

  EventPublisher publisher() {
    return proxy(EventPublisher.class, (method, args) -> {
      if (!method.getName().equals("publish")) {
        throw new UnsupportedOperationException(method.getName());
      }
      String topic = (String) args[0];
      if (down) {
        return Future.failedFuture(new PublishException(topic, new IllegalStateException("broker unreachable")));
      }
      @SuppressWarnings("unchecked")
      List<CloudEvent> events = (List<CloudEvent>) args[1];
      events.forEach(event -> published.add(new Published(topic, event)));
      return Future.succeededFuture();
    });
  }

  TopicAdmin topics() {
    return proxy(TopicAdmin.class, (method, args) -> {
      if (!method.getName().equals("ensureTopic")) {
        throw new UnsupportedOperationException(method.getName());
      }
      ensuredTopics.add((String) args[0]);
      return Future.succeededFuture();
    });
  }

  private static <T> T proxy(Class<T> type, BiFunction<Method, Object[], Object> calls) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) ->
        switch (method.getName()) {
          case "toString" -> "Fake" + type.getSimpleName();
          case "hashCode" -> System.identityHashCode(self);
          case "equals" -> self == args[0];
          default -> calls.apply(method, args);
        }));
  }
}
