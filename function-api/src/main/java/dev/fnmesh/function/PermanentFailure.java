package dev.fnmesh.function;

/**
 * A failure that retrying cannot fix, e.g. an event the function can never accept. A function fails its
 * future with this to send the event straight to the dead-letter topic, without the retries its trigger
 * would otherwise make.
 */
public class PermanentFailure extends RuntimeException {

  public PermanentFailure(String message) {
    super(message);
  }

  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
