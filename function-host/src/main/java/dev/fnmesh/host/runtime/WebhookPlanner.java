package dev.fnmesh.host.runtime;

import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.SecretRef;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;
import dev.fnmesh.broker.webhook.AttributeMappings;
import dev.fnmesh.broker.webhook.HmacSettings;
import dev.fnmesh.broker.webhook.Provider;
import dev.fnmesh.broker.webhook.SecretResolver;
import dev.fnmesh.broker.webhook.SecretSource;
import dev.fnmesh.broker.webhook.ValueMapping;
import dev.fnmesh.broker.webhook.WebhookSettings;

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
