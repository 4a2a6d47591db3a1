package dev.fnmesh.broker.webhook;

import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.SecretRef;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Webhook triggers the tests of this package share, as the mesh file would declare them. */
final class TestWebhooks {

  static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
  static final SecretRef SECRET_REF = new SecretRef(Optional.of("WEBHOOK_SECRET"), Optional.empty());
  /** The attribute values of a webhook that declares none. */
  static final Values NO_VALUES = new Values(null, null, null, null);

  private TestWebhooks() {}

  /** The type, source, subject and id a webhook declares; null where it declares none. */
  record Values(ValueSpec type, ValueSpec source, ValueSpec subject, ValueSpec id) {}

  /** Trigger {@code push}: provider github, nothing declared beyond its secret. */
  static WebhookTrigger github(String path, String topic) {
    return github(path, topic, NO_VALUES, Optional.empty());
  }

  /** Trigger {@code push}: provider github with the given values and hmac. */
  static WebhookTrigger github(String path, String topic, Values values, Optional<HmacSpec> hmac) {
    return trigger("push", source(path, Optional.of(WebhookSource.GITHUB), values, hmac, Optional.of(SECRET_REF)),
        topic, Optional.of(SECRET));
  }

  /** Trigger {@code hook}: the provider's presets and check with the given secret, nothing declared. */
  static WebhookTrigger provider(Provider provider, String path, String topic, byte[] secret) {
    return trigger("hook", source(path, Optional.of(provider.key()), NO_VALUES, Optional.empty(),
        Optional.of(SECRET_REF)), topic, Optional.of(secret));
  }

  /** Trigger {@code hook}: its own hmac, nothing else declared. */
  static WebhookTrigger hmac(String path, String topic, HmacSpec hmac) {
    return trigger("hook", source(path, Optional.empty(), NO_VALUES, Optional.of(hmac), Optional.of(SECRET_REF)),
        topic, Optional.of(SECRET));
  }

  /** Trigger {@code hook}: no provider, no signature check, the given values. */
  static WebhookTrigger generic(String path, String topic, Values values) {
    return trigger("hook", source(path, Optional.empty(), values, Optional.empty(), Optional.empty()), topic,
        Optional.empty());
  }

  static WebhookTrigger trigger(String name, WebhookSource source, String topic, Optional<byte[]> secret) {
    return new WebhookTrigger(new TriggerSpec(name, source, topic, 1, "f", java.util.List.of(),
        Optional.empty(), DeliverySettings.defaults(name), Optional.empty(), ScaleSpec.defaults(1), Optional.empty()), secret);
  }

  static WebhookSource source(String path, Optional<String> provider, Values values, Optional<HmacSpec> hmac,
      Optional<SecretRef> secret) {
    return new WebhookSource(path, provider, Optional.ofNullable(values.type()), Optional.ofNullable(values.source()),
        Optional.ofNullable(values.subject()), Optional.ofNullable(values.id()), hmac, secret);
  }

  static Values values(ValueSpec type, ValueSpec source, ValueSpec subject, ValueSpec id) {
    return new Values(type, source, subject, id);
  }

  static ValueSpec header(String name) {
    return header(name, "");
  }

  static ValueSpec header(String name, String prefix) {
    return new ValueSpec(ValueSpec.Kind.HEADER, name, prefix);
  }

  static ValueSpec pointer(String pointer) {
    return pointer(pointer, "");
  }

  static ValueSpec pointer(String pointer, String prefix) {
    return new ValueSpec(ValueSpec.Kind.POINTER, pointer, prefix);
  }
}
