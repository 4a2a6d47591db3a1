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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** X-Slack-Signature: {@code v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<body>">}, five minutes. */
class SlackSignatureTest {

  // The worked example of Slack's "Verifying requests from Slack".
  private static final byte[] SECRET = "8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8);
  private static final long TIMESTAMP = 1531420618;
  private static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
      + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
      + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
      .getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  private static final Instant SIGNED = Instant.ofEpochSecond(TIMESTAMP);

  private final SlackSignature slack = new SlackSignature();

  private Verdict verify(String signature, long timestamp, byte[] body, Instant now) {
    return slack.verify(SECRET, headers("X-Slack-Signature", signature,
        "X-Slack-Request-Timestamp", Long.toString(timestamp)), body, now);
  }

  @Test
  void acceptsSlacksDocumentedExampleAndKeysAReplayByTheSignature() {
    assertEquals(SIGNATURE, ProviderRecipes.slack(SECRET, TIMESTAMP, BODY));

    assertEquals(Optional.of(new ReplayKey(SIGNATURE.substring(3), "X-Slack-Signature", SIGNED.plusSeconds(300))),
        genuine(verify(SIGNATURE, TIMESTAMP, BODY, SIGNED.plusSeconds(30))));
  }

  @Test
  void refusesATamperedBodyAWrongSecretAndAnotherTimestamp() {
    byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("roadrunner", "coyote")
        .getBytes(StandardCharsets.UTF_8);
    String otherSecret = ProviderRecipes.slack("another".getBytes(StandardCharsets.UTF_8), TIMESTAMP, BODY);

    for (Verdict verdict : new Verdict[] {verify(SIGNATURE, TIMESTAMP, tampered, SIGNED),
        verify(otherSecret, TIMESTAMP, BODY, SIGNED), verify(SIGNATURE, TIMESTAMP + 1, BODY, SIGNED)}) {
      EventProblem problem = refused(verdict);
      assertEquals("X-Slack-Signature", problem.field());
      assertTrue(problem.message().contains("does not match 'v0:<X-Slack-Request-Timestamp>:<body>'"),
          problem.message());
    }
  }

  @Test
  void refusesATimestampMoreThanFiveMinutesOffEitherWayNamingTheTimestampHeader() {
    EventProblem stale = refused(verify(SIGNATURE, TIMESTAMP, BODY, SIGNED.plusSeconds(301)));
    EventProblem ahead = refused(verify(SIGNATURE, TIMESTAMP, BODY, SIGNED.minusSeconds(301)));

    assertEquals(new EventProblem(401, "X-Slack-Request-Timestamp", stale.message()), stale);
    assertEquals("X-Slack-Request-Timestamp", ahead.field());
  }

  @Test
  void refusesAMissingSignatureAnotherVersionAndAMissingTimestamp() {
    assertEquals("X-Slack-Signature",
        refused(slack.verify(SECRET, headers("X-Slack-Request-Timestamp", "1"), BODY, SIGNED)).field());
    assertTrue(refused(verify(SIGNATURE.replace("v0=", "v1="), TIMESTAMP, BODY, SIGNED)).message()
        .contains("must be 'v0=' and a hexadecimal digest"));
    assertEquals(new EventProblem(401, "X-Slack-Request-Timestamp", "header X-Slack-Request-Timestamp must be the "
            + "unix time in seconds at which the request was signed, and is missing"),
        refused(slack.verify(SECRET, headers("X-Slack-Signature", SIGNATURE), BODY, SIGNED)));
  }
}
