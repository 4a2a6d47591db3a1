package dev.fnmesh.access;

import java.util.Objects;
import java.util.Optional;

/**
 * A caller named in the access file.
 *
 * @param name how logs and refusals name it
 * @param token the bearer token it presents, when it uses one
 * @param certificateSubject the subject of the TLS client certificate that stands for it, when it uses one
 * @param grants what it may do
 * @param rate the most requests it may make; unlimited when empty
 */
public record AccessClient(String name, Optional<ClientToken> token, Optional<String> certificateSubject,
    Grants grants, Optional<RequestRate> rate) {

  public AccessClient {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(certificateSubject, "certificateSubject");
    Objects.requireNonNull(grants, "grants");
    Objects.requireNonNull(rate, "rate");
    if (token.isEmpty() && certificateSubject.isEmpty()) {
      throw new IllegalArgumentException("client " + name + " has neither a token nor a certificate subject");
    }
  }
}
