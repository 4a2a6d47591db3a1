package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.examples.Echo;
import dev.fnmesh.examples.Fail;
import dev.fnmesh.examples.Greeter;
import dev.fnmesh.examples.Sleep;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

/**
 * Functions are found by the short name they register through the ServiceLoader (the examples module
 * registers four), by their class name, or, unregistered, by the name of a class implementing Function.
 */
class FunctionRegistryTest {

  private final FunctionRegistry registry = new FunctionRegistry(FunctionRegistryTest.class.getClassLoader());

  /** A function nobody registered, found only by its class name. */
  public static final class Doubler implements Function {
    @Override
    public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
      return Future.succeededFuture(event);
    }
  }

  /** A function the registry cannot create: it has no no-argument constructor. */
  public static final class Configured implements Function {
    private final String setting;

    public Configured(String setting) {
      this.setting = setting;
    }

    @Override
    public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
      return Future.failedFuture(setting);
    }
  }

  private Function found(String reference) {
    FunctionRegistry.Lookup lookup = registry.find(reference);
    assertNull(lookup.error());
    return lookup.function().orElseThrow();
  }

  @Test
  void findsTheExampleFunctionsByTheirShortNames() {
    assertInstanceOf(Greeter.class, found("greeter"));
    assertInstanceOf(Echo.class, found("echo"));
    assertInstanceOf(Sleep.class, found("sleep"));
    assertInstanceOf(Fail.class, found("fail"));
  }

  @Test
  void findsARegisteredFunctionByItsClassName() {
    assertInstanceOf(Greeter.class, found(Greeter.class.getName()));
  }

  @Test
  void listsTheShortAndClassNamesOfTheRegisteredFunctions() {
    assertTrue(registry.names().containsAll(List.of("echo", "fail", "greeter", "sleep",
        Echo.class.getName(), Fail.class.getName(), Greeter.class.getName(), Sleep.class.getName())),
        registry.names().toString());
  }

  @Test
  void createsAnUnregisteredFunctionByItsClassName() {
    assertInstanceOf(Doubler.class, found(Doubler.class.getName()));
  }

  @Test
  void explainsThatAnUnknownNameIsNeitherRegisteredNorAClass() {
    FunctionRegistry.Lookup lookup = registry.find("greter");

    assertEquals(Optional.empty(), lookup.function());
    assertEquals("no Java function named 'greter'; registered: " + registry.names(), lookup.error());
  }

  @Test
  void explainsThatAClassDoesNotImplementFunction() {
    FunctionRegistry.Lookup lookup = registry.find("java.lang.StringBuilder");

    assertEquals(Optional.empty(), lookup.function());
    assertEquals("class 'java.lang.StringBuilder' does not implement dev.fnmesh.function.Function", lookup.error());
  }

  @Test
  void explainsThatAFunctionClassHasNoNoArgumentConstructor() {
    FunctionRegistry.Lookup lookup = registry.find(Configured.class.getName());

    assertEquals(Optional.empty(), lookup.function());
    assertTrue(lookup.error().startsWith("class '" + Configured.class.getName()
        + "' could not be instantiated with a public no-argument constructor: "), lookup.error());
  }
}
