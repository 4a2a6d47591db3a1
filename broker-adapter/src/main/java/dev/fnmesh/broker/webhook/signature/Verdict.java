package dev.fnmesh.broker.webhook.signature;

import dev.fnmesh.broker.EventProblem;

import java.util.Objects;
import java.util.Optional;

/** What a {@link SignatureScheme} found a request to be. */
public sealed interface Verdict {

  /**
   * The sender holds the secret.
   *
   * @param replay what a replay of this request would repeat; empty when the scheme signs no timestamp and so
   *     cannot tell a replay from a new request
   */
  record Genuine(Optional<ReplayKey> replay) implements Verdict {
    public Genuine {
      Objects.requireNonNull(replay, "replay");
    }
  }

  /** The request is refused: a 401 naming the header at fault. */
  record Refused(EventProblem problem) implements Verdict {
    public Refused {
      Objects.requireNonNull(problem, "problem");
    }
  }

  static Verdict refused(String header, String message) {
    return new Refused(new EventProblem(401, header, message));
  }
}
