package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.signature.HmacSignature;
import dev.fnmesh.broker.webhook.signature.SignatureScheme;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.WebhookSource;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook trigger of the mesh as the ingress serves it: the trigger as the mesh file declares it, with the
 * secret its {@code secret:} names already read, since the mesh file never holds the secret itself. The
 * secret never appears in {@link #toString()}.
 *
 * @param spec the trigger; its source is a {@link WebhookSource}
 * @param secret the secret read from the place the webhook names, as read; present exactly when it names one
 */
public record WebhookTrigger(TriggerSpec spec, Optional<byte[]> secret) {

  public WebhookTrigger {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(secret, "secret");
    if (!(spec.source() instanceof WebhookSource webhook)) {
      throw new IllegalArgumentException("trigger " + spec.name() + " has a " + spec.kind() + " source, not a webhook");
    }
    if (webhook.secret().isPresent() != secret.isPresent()) {
      // Worded by key: the planner names the trigger.
      throw new IllegalArgumentException("webhook.secret "
          + (secret.isPresent() ? "is not declared, so no secret may be given" : "is declared but was not read"));
    }
    if (secret.isPresent() && secret.get().length == 0) {
      throw new IllegalArgumentException("webhook.secret must not be empty");
    }
    Optional<SignatureScheme> scheme = schemeOf(webhook);
    if (scheme.isPresent()) {
      scheme.get().secretProblem(secret.orElseThrow()).ifPresent(problem -> {
        throw new IllegalArgumentException("webhook.secret " + problem);
      });
    }
    // A copy, so that nobody holding the caller's array can change the key of a running webhook.
    secret = secret.map(byte[]::clone);
  }

  /** The webhook section of the trigger. */
  public WebhookSource source() {
    return (WebhookSource) spec.source();
  }

  /** The last segment of {@code POST /webhooks/<path>}. */
  public String path() {
    return source().path();
  }

  /** The provider whose presets apply where the webhook declares nothing, if any. */
  public Optional<Provider> provider() {
    return source().provider().map(Provider::of);
  }

  /** The signature check requests must pass: the declared hmac, else the provider's, else none. */
  public Optional<SignatureScheme> scheme() {
    return schemeOf(source());
  }

  private static Optional<SignatureScheme> schemeOf(WebhookSource webhook) {
    return webhook.hmac().<SignatureScheme>map(HmacSignature::new)
        .or(() -> webhook.provider().map(Provider::of).map(Provider::scheme));
  }

  /** A copy of the secret. */
  @Override
  public Optional<byte[]> secret() {
    return secret.map(byte[]::clone);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookTrigger that && spec.equals(that.spec)
        && Arrays.equals(secret.orElse(null), that.secret.orElse(null));
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, Arrays.hashCode(secret.orElse(null)));
  }

  @Override
  public String toString() {
    return "WebhookTrigger[spec=" + spec + ", secret=" + (secret.isPresent() ? "<redacted>" : "none") + "]";
  }
}
