package dev.fnmesh.broker.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Webhook settings the tests of this package share. */
final class TestWebhooks {

  static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);

  private TestWebhooks() {}

  static WebhookSettings github(String path, String topic) {
    return new WebhookSettings("push", path, topic, 1, Optional.of(Provider.GITHUB), AttributeMappings.NONE,
        Optional.empty(), Optional.of(SECRET));
  }

  static WebhookSettings generic(String path, String topic, AttributeMappings mappings) {
    return new WebhookSettings("hook", path, topic, 1, Optional.empty(), mappings, Optional.empty(), Optional.empty());
  }

  static AttributeMappings mappings(ValueMapping type, ValueMapping source, ValueMapping subject, ValueMapping id) {
    return new AttributeMappings(Optional.ofNullable(type), Optional.ofNullable(source), Optional.ofNullable(subject),
        Optional.ofNullable(id));
  }
}
