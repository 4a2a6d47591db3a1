package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.signature.HmacSignature;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.WebhookSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static dev.fnmesh.broker.webhook.TestWebhooks.NO_VALUES;
import static dev.fnmesh.broker.webhook.TestWebhooks.SECRET_REF;
import static dev.fnmesh.broker.webhook.TestWebhooks.github;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookTriggerTest {

  private static final HmacSpec OWN = new HmacSpec("X-Signature", "sha512", "");

  private static WebhookTrigger signedWith(String secret) {
    return signedWith(Optional.of(secret.getBytes(StandardCharsets.UTF_8)));
  }

  private static WebhookTrigger signedWith(Optional<byte[]> secret) {
    return TestWebhooks.trigger("hook",
        TestWebhooks.source("p", Optional.empty(), NO_VALUES, Optional.of(OWN), Optional.of(SECRET_REF)), "t", secret);
  }

  @Test
  void toStringNeverShowsTheSecret() {
    String text = signedWith("hunter2-very-secret").toString();
    assertFalse(text.contains("hunter2"), text);
    assertTrue(text.contains("secret=<redacted>"), text);
  }

  @Test
  void comparesSecretsByContent() {
    assertEquals(signedWith("a"), signedWith("a"));
    assertEquals(signedWith("a").hashCode(), signedWith("a").hashCode());
    assertNotEquals(signedWith("a"), signedWith("b"));
  }

  @Test
  void keepsItsOwnCopyOfTheSecret() {
    byte[] key = "key".getBytes(StandardCharsets.UTF_8);
    WebhookTrigger webhook = signedWith(Optional.of(key));
    key[0] = 'X';
    webhook.secret().orElseThrow()[1] = 'X';
    assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), webhook.secret().orElseThrow());
  }

  @Test
  void theDeclaredSignatureCheckOverridesTheProviders() {
    assertEquals(Optional.of(new HmacSignature(OWN)), github("github", "t", NO_VALUES, Optional.of(OWN)).scheme());
    assertEquals(Optional.of(Provider.GITHUB.scheme()), github("github", "t").scheme());
    assertEquals(Optional.empty(), TestWebhooks.generic("p", "t", NO_VALUES).scheme());
  }

  @Test
  void refusesAStandardWebhooksSecretThatIsNoWhsecKeyWithoutQuotingIt() {
    var e = assertThrows(IllegalArgumentException.class, () -> TestWebhooks.provider(Provider.STANDARD_WEBHOOKS, "p",
        "t", "whsec_not-base64!".getBytes(StandardCharsets.UTF_8)));
    assertEquals("webhook.secret must be a Standard Webhooks secret: whsec_ followed by the base64 of the key, as "
        + "the sender shows it", e.getMessage());
  }

  @Test
  void refusesADeclaredSecretThatWasNotReadOrIsEmptyAndASecretNoneDeclared() {
    assertEquals("webhook.secret is declared but was not read",
        assertThrows(IllegalArgumentException.class, () -> signedWith(Optional.empty())).getMessage());
    assertEquals("webhook.secret must not be empty",
        assertThrows(IllegalArgumentException.class, () -> signedWith("")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestWebhooks.trigger("hook",
        TestWebhooks.source("p", Optional.empty(), NO_VALUES, Optional.empty(), Optional.empty()), "t",
        Optional.of(TestWebhooks.SECRET)));
  }

  @Test
  void knowsEveryProviderOfTheMeshFileByItsNameAndNamesTheKnownOnesOtherwise() {
    assertEquals(WebhookSource.PROVIDERS, Arrays.stream(Provider.values()).map(Provider::key).toList());
    assertEquals(Provider.STANDARD_WEBHOOKS, Provider.of("standard-webhooks"));
    assertEquals("unknown webhook provider 'bitbucket', expected one of github, gitlab, slack, standard-webhooks, "
            + "stripe", assertThrows(IllegalArgumentException.class, () -> Provider.of("bitbucket")).getMessage());
  }
}
