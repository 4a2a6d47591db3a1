package dev.fnmesh.host.logs;

import org.apache.logging.log4j.core.util.ContextDataProvider;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.apache.logging.log4j.util.StringMap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives Log4j the fields of the call the logging thread is in ({@link LogFields#within}) as the line's context
 * data, where the layouts read the MDC ({@code %X{trigger}} in text, the {@code mdc} resolver in JSON). Log4j
 * loads it as a service and asks it only for a line that is logged, so a delivery pays nothing for its fields
 * unless its function logs.
 */
public final class CallFieldsProvider implements ContextDataProvider {

  private static final StringMap NONE = frozen(new SortedArrayStringMap(0));

  @Override
  public Map<String, String> supplyContextData() {
    LogFields fields = LogFields.current();
    Map<String, String> map = new LinkedHashMap<>();
    fields.forEach(map::put);
    return map;
  }

  @Override
  public StringMap supplyStringMap() {
    LogFields fields = LogFields.current();
    if (fields.isEmpty()) {
      return NONE;
    }
    SortedArrayStringMap map = new SortedArrayStringMap();
    fields.forEach(map::putValue);
    return map;
  }

  private static StringMap frozen(StringMap map) {
    map.freeze();
    return map;
  }
}
