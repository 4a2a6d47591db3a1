package dev.fnmesh.host.deadletters;

import java.util.Set;

/**
 * The extensions (and, for a record that is no CloudEvent, the headers) fnmesh adds to a dead letter to say
 * why and where it was read: written by the triggers, read by the dead-letter API, taken off by a replay.
 */
public final class DeadLetterFields {

  public static final String ERROR_CODE = "fnmesherrorcode";
  public static final String ERROR = "fnmesherror";
  public static final String FUNCTION = "fnmeshfunction";
  public static final String ATTEMPTS = "fnmeshattempts";
  public static final String TRIGGER = "fnmeshtrigger";
  public static final String ORIGIN = "fnmeshorigin";
  public static final String TRUNCATED = "fnmeshtruncated";

  /** Every extension above: a replayed event carries none of them back into its trigger. */
  public static final Set<String> EXTENSIONS = Set.of(ERROR_CODE, ERROR, FUNCTION, ATTEMPTS, TRIGGER, ORIGIN, TRUNCATED);

  /** The prefix of the headers a record that is no CloudEvent gets instead, such as {@code fnmesh_errorcode}. */
  public static final String HEADER_PREFIX = "fnmesh_";

  private DeadLetterFields() {}
}
