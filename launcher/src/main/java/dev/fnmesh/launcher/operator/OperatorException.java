package dev.fnmesh.launcher.operator;

/** Why an operator command did not do what it was asked, in words for the user. */
final class OperatorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  OperatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
