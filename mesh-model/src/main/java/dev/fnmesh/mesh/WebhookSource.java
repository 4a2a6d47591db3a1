package dev.fnmesh.mesh;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A trigger's events come from HTTP POST requests to {@code /webhooks/<path>}; each request becomes one
 * event whose attributes are computed as declared. An absent attribute takes the provider's preset, else
 * the default: type {@code dev.fnmesh.webhook}, source {@code /webhooks/<path>}, a new UUID as id.
 *
 * @param path the last URL segment, unique among the webhooks of a mesh
 * @param provider a preset for a known sender, one of {@link #PROVIDERS}
 * @param type how the event type is computed
 * @param source how the event source is computed
 * @param subject how the event subject is computed
 * @param id how the event id is computed
 * @param hmac the signature check of the request body
 * @param secret where the signature secret is read from; present whenever hmac or a provider is, since every
 *     provider's preset checks a signature or token
 * @param dedup whether a request whose event has the source and id of one accepted shortly before is dropped
 */
public record WebhookSource(
    String path,
    Optional<String> provider,
    Optional<ValueSpec> type,
    Optional<ValueSpec> source,
    Optional<ValueSpec> subject,
    Optional<ValueSpec> id,
    Optional<HmacSpec> hmac,
    Optional<SecretRef> secret,
    Optional<DedupSettings> dedup) implements TriggerSource {

  public static final String GITHUB = "github";
  public static final String GITLAB = "gitlab";
  public static final String SLACK = "slack";
  public static final String STANDARD_WEBHOOKS = "standard-webhooks";
  public static final String STRIPE = "stripe";
  /** The provider presets known, as in the schema. */
  public static final List<String> PROVIDERS = List.of(GITHUB, GITLAB, SLACK, STANDARD_WEBHOOKS, STRIPE);

  /** A webhook without dedup. */
  public WebhookSource(String path, Optional<String> provider, Optional<ValueSpec> type, Optional<ValueSpec> source,
      Optional<ValueSpec> subject, Optional<ValueSpec> id, Optional<HmacSpec> hmac, Optional<SecretRef> secret) {
    this(path, provider, type, source, subject, id, hmac, secret, Optional.empty());
  }

  public WebhookSource {
    Objects.requireNonNull(dedup, "dedup");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hmac, "hmac");
    Objects.requireNonNull(secret, "secret");
    provider.filter(name -> !PROVIDERS.contains(name)).ifPresent(name -> {
      throw new IllegalArgumentException("provider must be one of " + String.join(", ", PROVIDERS) + ", got " + name);
    });
    if ((hmac.isPresent() || provider.isPresent()) && secret.isEmpty()) {
      throw new IllegalArgumentException("webhook " + path + " checks signatures and so needs a secret");
    }
  }
}
