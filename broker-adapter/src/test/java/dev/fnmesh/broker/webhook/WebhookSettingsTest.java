package dev.fnmesh.broker.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static dev.fnmesh.broker.webhook.TestWebhooks.github;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSettingsTest {

  private static WebhookSettings withSecret(String secret) {
    return new WebhookSettings("push", "github", "fnmesh.push", 8, Optional.of(Provider.GITHUB),
        AttributeMappings.NONE, Optional.empty(), Optional.ofNullable(secret).map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void toStringNeverShowsTheSecret() {
    String text = withSecret("hunter2-very-secret").toString();
    assertFalse(text.contains("hunter2"), text);
    assertTrue(text.contains("secret=<redacted>"), text);
    assertTrue(text.contains("provider=github"), text);
  }

  @Test
  void comparesSecretsByContent() {
    assertEquals(withSecret("a"), withSecret("a"));
    assertEquals(withSecret("a").hashCode(), withSecret("a").hashCode());
    assertNotEquals(withSecret("a"), withSecret("b"));
  }

  @Test
  void keepsItsOwnCopyOfTheSecret() {
    byte[] key = "key".getBytes(StandardCharsets.UTF_8);
    WebhookSettings settings = new WebhookSettings("hook", "p", "t", 1, Optional.empty(), AttributeMappings.NONE,
        Optional.of(new HmacSettings("X-Signature", "sha256", "")), Optional.of(key));
    key[0] = 'X';
    settings.secret().orElseThrow()[1] = 'X';
    assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), settings.secret().orElseThrow());
  }

  @Test
  void githubProviderRequiresASecret() {
    var e = assertThrows(IllegalArgumentException.class, () -> withSecret(null));
    assertEquals("trigger push: webhook.secret is required when provider github is set", e.getMessage());
  }

  @Test
  void theDeclaredSignatureCheckOverridesTheProviders() {
    HmacSettings own = new HmacSettings("X-Signature", "sha512", "");
    WebhookSettings settings = new WebhookSettings("push", "github", "t", 1, Optional.of(Provider.GITHUB),
        AttributeMappings.NONE, Optional.of(own), github("github", "t").secret());
    assertEquals(Optional.of(own), settings.effectiveHmac());
    assertEquals(Optional.of(HmacSettings.GITHUB), github("github", "t").effectiveHmac());
  }

  @Test
  void refusesAPathThatIsNoSingleLowerCaseSegment() {
    for (String path : new String[] {"GitHub", "a/b", "-x", ""}) {
      var e = assertThrows(IllegalArgumentException.class, () -> TestWebhooks.generic(path, "t", AttributeMappings.NONE));
      assertTrue(e.getMessage().startsWith("trigger hook: webhook.path '" + path + "' must match"), e.getMessage());
    }
  }

  @Test
  void refusesAnIllegalTopicAndPartitionCount() {
    assertThrows(IllegalArgumentException.class, () -> TestWebhooks.generic("p", "no spaces", AttributeMappings.NONE));
    assertThrows(IllegalArgumentException.class, () -> new WebhookSettings("hook", "p", "t", 0, Optional.empty(),
        AttributeMappings.NONE, Optional.empty(), Optional.empty()));
  }

  @Test
  void refusesUnknownProvidersAndAlgorithmsNamingWhatIsKnown() {
    assertEquals("unknown webhook provider 'gitlab', expected one of github",
        assertThrows(IllegalArgumentException.class, () -> Provider.of("gitlab")).getMessage());
    assertEquals("hmac.algorithm 'md5' is not supported, expected one of sha256, sha512",
        assertThrows(IllegalArgumentException.class, () -> new HmacSettings("X-S", "md5", "")).getMessage());
    assertEquals(Provider.GITHUB, Provider.of("github"));
  }

  @Test
  void refusesMalformedMappings() {
    assertThrows(IllegalArgumentException.class, () -> ValueMapping.pointer("repository/html_url"));
    assertThrows(IllegalArgumentException.class, () -> ValueMapping.header("X Sender"));
    assertThrows(IllegalArgumentException.class, () -> ValueMapping.constant(""));
  }
}
