package dev.fnmesh.broker.webhook.signature;

import io.vertx.core.MultiMap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * GitLab's webhook check: {@code X-Gitlab-Token} carries the secret token itself. It proves the sender knows
 * the token but signs neither the body nor a time, so a replay cannot be told from a new request: only TLS
 * keeps the token and the requests from being captured.
 */
public final class GitlabToken implements SignatureScheme {

  public static final String HEADER = "X-Gitlab-Token";

  @Override
  public Verdict verify(byte[] secret, MultiMap headers, byte[] body, Instant now) {
    String token = headers.get(HEADER);
    if (token == null || token.isEmpty()) {
      return Verdict.refused(HEADER, "token header " + HEADER + " is missing; it must carry the webhook's secret "
          + "token");
    }
    // Vert.x reads header values as ISO-8859-1 text; GitLab sends the token's UTF-8 bytes.
    byte[] given = token.getBytes(StandardCharsets.ISO_8859_1);
    return Hmacs.sameToken(secret, given)
        ? new Verdict.Genuine(Optional.empty())
        : Verdict.refused(HEADER, "token in header " + HEADER + " is not the webhook's secret token");
  }
}
