package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.webhook.SecretResolver;
import dev.fnmesh.broker.webhook.WebhookTrigger;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.WebhookSource;

import java.util.Optional;

/** Readies a webhook trigger of the mesh file for the ingress: reads the secret it names. */
public final class WebhookPlanner {

  private final SecretResolver secrets;

  public WebhookPlanner(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /** @throws IllegalArgumentException when the secret cannot be read */
  WebhookTrigger plan(TriggerSpec spec, WebhookSource webhook) {
    Optional<byte[]> secret = webhook.secret().map(secrets::resolve);
    return new WebhookTrigger(spec, secret);
  }
}
