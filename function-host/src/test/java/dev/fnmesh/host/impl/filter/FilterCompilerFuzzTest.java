package dev.fnmesh.host.impl.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.host.EventFilter;
import dev.fnmesh.mesh.FilterSpec;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URI;
import java.util.List;

/**
 * Any filter a mesh file can declare compiles or is refused with an IllegalArgumentException naming the
 * expression; a compiled filter answers true or false for every event, never throws, since a trigger's
 * consumer tests every event it reads with it.
 */
class FilterCompilerFuzzTest {

  @Property(seed = "6001", tries = 1000)
  void anyExpressionCompilesOrIsRefusedAndAnswersForEveryEvent(@ForAll("expressions") String expression,
      @ForAll("events") List<CloudEvent> events) {
    compilesOrIsRefused(new FilterSpec.Sql(expression), events);
  }

  @Property(seed = "6002", tries = 300)
  void anyFilterTreeCompilesOrIsRefusedAndAnswersForEveryEvent(@ForAll("specs") FilterSpec spec,
      @ForAll("events") List<CloudEvent> events) {
    compilesOrIsRefused(spec, events);
  }

  @Example
  void anAttributeOfTheOtherSpecVersionFiltersTheEventOutRatherThanThrowing() {
    CloudEvent v03 = CloudEventBuilder.v03().withId("1").withSource(URI.create("/s")).withType("t").build();

    assertFalse(EventFilter.compile(new FilterSpec.Sql("LOWER(dataschema) = 'x'")).test(v03));
    assertTrue(EventFilter.compile(new FilterSpec.Sql("NOT EXISTS dataschema")).test(v03));
  }

  private static void compilesOrIsRefused(FilterSpec spec, List<CloudEvent> events) {
    EventFilter filter;
    try {
      filter = EventFilter.compile(spec);
    } catch (IllegalArgumentException refused) {
      assertTrue(refused.getMessage().startsWith("CESQL expression \""), refused::getMessage);
      return;
    }
    for (CloudEvent event : events) {
      boolean first = filter.test(event);
      assertTrue(first == filter.test(event), "a filter answers the same for the same event");
    }
  }

  @Provide
  Arbitrary<String> expressions() {
    return FuzzFilters.expressions(4);
  }

  @Provide
  Arbitrary<FilterSpec> specs() {
    return FuzzFilters.specs(3);
  }

  @Provide
  Arbitrary<List<CloudEvent>> events() {
    return FuzzFilters.events().list().ofMinSize(1).ofMaxSize(4);
  }
}
