package dev.fnmesh.access;

import java.util.Objects;
import java.util.Optional;

/**
 * Who made a request, once its token or certificate checked out.
 *
 * @param name the client's name in the access file, or a JWT's subject
 * @param grants what it may do
 * @param rate the most requests it may make; unlimited when empty
 */
record Caller(String name, Grants grants, Optional<RequestRate> rate) {

  Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(grants, "grants");
    Objects.requireNonNull(rate, "rate");
  }
}
