package dev.fnmesh.broker;

/**
 * Why an incoming event was refused: the HTTP status to answer, the attribute or part of the request at
 * fault and a message a user can act on.
 *
 * @param status the HTTP status code: 400 for a bad event, 404 for a topic events may not be published to,
 *     413 for a too large body, 415 for an unsupported content type
 * @param field the attribute or request part at fault, e.g. {@code id}, {@code [2].source},
 *     {@code content-type}, {@code body}
 * @param message what is wrong and what was expected
 */
public record EventProblem(int status, String field, String message) {

  public static EventProblem badRequest(String field, String message) {
    return new EventProblem(400, field, message);
  }

  public static EventProblem notFound(String field, String message) {
    return new EventProblem(404, field, message);
  }

  public static EventProblem unsupportedMediaType(String field, String message) {
    return new EventProblem(415, field, message);
  }

  /** The same problem located inside element {@code index} of a batch. */
  public EventProblem inBatchElement(int index) {
    return new EventProblem(status, "[" + index + "]." + field, "event " + index + " of the batch: " + message);
  }
}
