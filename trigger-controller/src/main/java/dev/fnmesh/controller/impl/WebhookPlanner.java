package dev.fnmesh.controller.impl;

import dev.fnmesh.controller.mesh.HmacSpec;
import dev.fnmesh.controller.mesh.SecretRef;
import dev.fnmesh.controller.mesh.TriggerSpec;
import dev.fnmesh.controller.mesh.ValueSpec;
import dev.fnmesh.controller.mesh.WebhookSource;
import dev.fnmesh.controller.webhook.AttributeMappings;
import dev.fnmesh.controller.webhook.HmacSettings;
import dev.fnmesh.controller.webhook.Provider;
import dev.fnmesh.controller.webhook.SecretResolver;
import dev.fnmesh.controller.webhook.SecretSource;
import dev.fnmesh.controller.webhook.ValueMapping;
import dev.fnmesh.controller.webhook.WebhookSettings;

import java.nio.file.Path;
import java.util.Optional;

/** Maps a webhook source of the mesh file onto the ingress's settings, reading its secret. */
public final class WebhookPlanner {

  private final SecretResolver secrets;

  public WebhookPlanner(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /** @throws IllegalArgumentException when the secret cannot be read */
  WebhookSettings plan(TriggerSpec spec, WebhookSource webhook) {
    AttributeMappings mappings = new AttributeMappings(webhook.type().map(WebhookPlanner::mapping),
        webhook.source().map(WebhookPlanner::mapping), webhook.subject().map(WebhookPlanner::mapping),
        webhook.id().map(WebhookPlanner::mapping));
    Optional<byte[]> secret = webhook.secret().map(ref -> secrets.resolve(source(ref)));
    return new WebhookSettings(spec.name(), webhook.path(), spec.topic(), spec.partitions(),
        webhook.provider().map(Provider::of), mappings, webhook.hmac().map(WebhookPlanner::hmac), secret);
  }

  private static ValueMapping mapping(ValueSpec value) {
    return switch (value.kind()) {
      case CONSTANT -> ValueMapping.constant(value.prefix() + value.value());
      case HEADER -> ValueMapping.header(value.value(), value.prefix());
      case POINTER -> ValueMapping.pointer(value.value(), value.prefix());
    };
  }

  private static HmacSettings hmac(HmacSpec spec) {
    return new HmacSettings(spec.header(), spec.algorithm(), spec.prefix());
  }

  private static SecretSource source(SecretRef ref) {
    return ref.env().<SecretSource>map(SecretSource.Env::new)
        .orElseGet(() -> new SecretSource.File(Path.of(ref.file().orElseThrow())));
  }
}
