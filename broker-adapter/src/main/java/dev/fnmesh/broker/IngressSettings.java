package dev.fnmesh.broker;

/**
 * Settings of the HTTP ingress.
 *
 * @param maxBodyBytes requests with a larger body are refused with 413
 * @param createMissingTopics whether publishing to a declared topic that does not exist creates it, with the
 *     partitions the mesh declares for it
 * @param maxBatchEvents a batch with more events is refused with 413
 */
public record IngressSettings(long maxBodyBytes, boolean createMissingTopics, int maxBatchEvents) {

  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_BATCH_EVENTS = 1000;

  public IngressSettings {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
    }
    if (maxBatchEvents < 1) {
      throw new IllegalArgumentException("maxBatchEvents must be at least 1, got " + maxBatchEvents);
    }
  }

  public static IngressSettings defaults() {
    return new IngressSettings(DEFAULT_MAX_BODY_BYTES, true, DEFAULT_MAX_BATCH_EVENTS);
  }
}
