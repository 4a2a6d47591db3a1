package dev.fnmesh.broker.webhook.signature;

import dev.fnmesh.broker.EventProblem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static dev.fnmesh.broker.webhook.signature.Verdicts.genuine;
import static dev.fnmesh.broker.webhook.signature.Verdicts.headers;
import static dev.fnmesh.broker.webhook.signature.Verdicts.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** X-Gitlab-Token: the secret token itself, compared in constant time; no timestamp, so no replay key. */
class GitlabTokenTest {

  private static final byte[] SECRET = "glpat-token-of-the-hook".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"object_kind\":\"push\"}".getBytes(StandardCharsets.UTF_8);

  private final GitlabToken gitlab = new GitlabToken();

  private Verdict verify(String... headers) {
    return gitlab.verify(SECRET, headers(headers), BODY, Instant.EPOCH);
  }

  @Test
  void acceptsTheSecretTokenWhateverTheBodyAndOffersNoReplayKey() {
    assertEquals(Optional.empty(), genuine(verify("X-Gitlab-Token", "glpat-token-of-the-hook")));
    assertEquals(Optional.empty(), genuine(gitlab.verify(SECRET, headers("x-gitlab-token", "glpat-token-of-the-hook"),
        new byte[0], Instant.EPOCH)));
  }

  @Test
  void refusesAnotherTokenAPrefixOfItALongerOneAndNone() {
    for (String token : new String[] {"glpat-token-of-the-hoo", "glpat-token-of-the-hookX", "GLPAT-TOKEN-OF-THE-HOOK",
        " glpat-token-of-the-hook"}) {
      assertEquals(new EventProblem(401, "X-Gitlab-Token", "token in header X-Gitlab-Token is not the webhook's "
          + "secret token"), refused(verify("X-Gitlab-Token", token)), token);
    }
    assertEquals(new EventProblem(401, "X-Gitlab-Token", "token header X-Gitlab-Token is missing; it must carry the "
        + "webhook's secret token"), refused(verify()));
  }
}
