package dev.fnmesh.host.deadletters;

import java.util.Set;

/**
 * The extensions (and, for a record that is no CloudEvent, the headers) fnmesh adds to a dead letter to say
 * why and where it was read: written by the triggers, read by the dead-letter API, taken off by a redrive.
 */
public final class DeadLetterFields {

  public static final String ERROR_CODE = "fnmesherrorcode";
  public static final String ERROR = "fnmesherror";
  public static final String FUNCTION = "fnmeshfunction";
  public static final String ATTEMPTS = "fnmeshattempts";
  public static final String TRIGGER = "fnmeshtrigger";
  /** The topic the event was read from, where a redrive puts it back. */
  public static final String ORIGIN_TOPIC = "fnmeshorigintopic";
  /** The partition it was read from, an integer. */
  public static final String ORIGIN_PARTITION = "fnmeshoriginpartition";
  /** Its offset there, a string: offsets outgrow the 32-bit integers of CloudEvents. */
  public static final String ORIGIN_OFFSET = "fnmeshoriginoffset";
  /**
   * {@code topic/partition/offset} in one string, as dead letters written before the three above carry it:
   * read, never written.
   */
  public static final String LEGACY_ORIGIN = "fnmeshorigin";
  public static final String TRUNCATED = "fnmeshtruncated";

  /** Every extension above: a redriven event carries none of them back into its trigger. */
  public static final Set<String> EXTENSIONS = Set.of(ERROR_CODE, ERROR, FUNCTION, ATTEMPTS, TRIGGER, ORIGIN_TOPIC,
      ORIGIN_PARTITION, ORIGIN_OFFSET, LEGACY_ORIGIN, TRUNCATED);

  /**
   * The prefix of the headers a record that is no CloudEvent gets instead: {@code fnmesh_errorcode},
   * {@code fnmesh_origintopic} and so on, each named as its extension without the prefix.
   */
  public static final String HEADER_PREFIX = "fnmesh_";

  private DeadLetterFields() {}

  /** The header a record that is no CloudEvent carries for an extension, such as {@code fnmesh_origintopic}. */
  public static String header(String extension) {
    return HEADER_PREFIX + extension.substring("fnmesh".length());
  }
}
