package dev.fnmesh.access;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The access file: who may call a process's HTTP port and what each caller may do. It names where tokens
 * are read from, never holds them, and is never sent to the state topic or shown by the API.
 *
 * @param clients the callers known by a token or a certificate, in file order
 * @param jwt tokens an identity provider signs, when the file accepts them
 */
public record AccessPolicy(List<AccessClient> clients, Optional<JwtSettings> jwt) {

  public AccessPolicy {
    clients = List.copyOf(clients);
    Objects.requireNonNull(jwt, "jwt");
  }
}
