package dev.fnmesh.broker.webhook;

import dev.fnmesh.mesh.ValueSpec;
import io.vertx.core.MultiMap;

import java.util.Optional;

/**
 * Slack's check of an Events API request URL: it posts a signed {@code url_verification} whose
 * {@code challenge} the endpoint must answer before Slack sends it any event. It is a handshake, not an
 * event, so it is answered and not written.
 */
final class SlackUrlVerification {

  private static final ValueSpec TYPE = new ValueSpec(ValueSpec.Kind.POINTER, "/type", "");
  private static final ValueSpec CHALLENGE = new ValueSpec(ValueSpec.Kind.POINTER, "/challenge", "");

  private SlackUrlVerification() {}

  /** The challenge to answer, when the request is a URL verification that carries one. */
  static Optional<String> challenge(MultiMap headers, byte[] body) {
    RequestValues request = new RequestValues(headers, body);
    if (request.read(TYPE) instanceof RequestValues.Lookup.Found type && "url_verification".equals(type.value())
        && request.read(CHALLENGE) instanceof RequestValues.Lookup.Found challenge) {
      return Optional.of(challenge.value());
    }
    return Optional.empty();
  }
}
