package dev.fnmesh.broker;

/** An event could not be made durable in Kafka; nothing about it may be acknowledged. */
public final class PublishException extends RuntimeException {

  public PublishException(String topic, Throwable cause) {
    super("could not write to Kafka topic '" + topic + "': " + cause.getMessage(), cause);
  }
}
