package dev.fnmesh.broker.webhook.signature;

import java.time.Instant;
import java.util.Objects;

/**
 * What a replay of a genuine, timestamped request repeats, and how long it must be remembered: until its
 * signed timestamp leaves the tolerance, after which a replay is refused as stale anyway.
 *
 * @param value the key: the signature computed over timestamp and body, or the sender's message id; never
 *     the secret
 * @param header the header a refused replay names
 * @param expires when the signed timestamp leaves the tolerance
 */
public record ReplayKey(String value, String header, Instant expires) {

  public ReplayKey {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(expires, "expires");
  }
}
