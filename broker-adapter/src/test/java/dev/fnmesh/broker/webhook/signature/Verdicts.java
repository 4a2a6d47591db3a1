package dev.fnmesh.broker.webhook.signature;

import dev.fnmesh.broker.EventProblem;
import io.vertx.core.MultiMap;

import java.util.Optional;

/** What the scheme tests read from a verdict, failing the test when it is the other kind. */
final class Verdicts {

  private Verdicts() {}

  static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /** The replay key of a genuine request; fails when it was refused. */
  static Optional<ReplayKey> genuine(Verdict verdict) {
    if (verdict instanceof Verdict.Refused refused) {
      throw new AssertionError("refused: " + refused.problem());
    }
    return ((Verdict.Genuine) verdict).replay();
  }

  /** The problem of a refused request; fails when it was found genuine. */
  static EventProblem refused(Verdict verdict) {
    if (verdict instanceof Verdict.Genuine) {
      throw new AssertionError("genuine: " + verdict);
    }
    return ((Verdict.Refused) verdict).problem();
  }
}
