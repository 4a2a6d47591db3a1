package dev.fnmesh.host;

/**
 * A call refused, not queued, because the function already has as many calls waiting for a free slot as its
 * {@code maxWaiting} allows: the caller may try again shortly, as {@code 503} with {@code Retry-After} says.
 */
public final class FunctionBusy extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String functionName;

  /** @param message how many calls are in flight and waiting, naming the function */
  public FunctionBusy(String functionName, String message) {
    super(message, null, false, false);
    this.functionName = functionName;
  }

  /** The function that refused the call. */
  public String functionName() {
    return functionName;
  }
}
