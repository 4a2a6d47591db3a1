package dev.fnmesh.broker.webhook.signature;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.util.Optional;

/**
 * How a webhook request proves that its sender holds the webhook's secret, and, for a scheme that signs a
 * timestamp, that it was sent just now. Implementations are immutable and safe on any thread.
 */
public interface SignatureScheme {

  /**
   * Checks one request. Never blocks; compares secrets and digests in constant time.
   *
   * @param secret the webhook's secret as read from its {@code secret:}
   * @param headers the request headers (case-insensitive)
   * @param body the raw request body
   * @param now the time a signed timestamp is judged against
   * @return {@link Verdict.Genuine}, with the key a replay of the request would repeat when the scheme signs
   *     a timestamp; or {@link Verdict.Refused} with a 401 problem naming the header at fault
   */
  Verdict verify(byte[] secret, MultiMap headers, byte[] body, Instant now);

  /**
   * Why the secret cannot key this scheme, worded after {@code webhook.secret} and never quoting it; empty
   * when it can. Checked once, when the webhook is readied, so that a bad secret fails the mesh, not requests.
   */
  default Optional<String> secretProblem(byte[] secret) {
    return Optional.empty();
  }
}
