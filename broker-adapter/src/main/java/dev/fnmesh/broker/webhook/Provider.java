package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.signature.GitlabToken;
import dev.fnmesh.broker.webhook.signature.HmacSignature;
import dev.fnmesh.broker.webhook.signature.SignatureScheme;
import dev.fnmesh.broker.webhook.signature.SlackSignature;
import dev.fnmesh.broker.webhook.signature.StandardWebhooksSignature;
import dev.fnmesh.broker.webhook.signature.StripeSignature;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A webhook sender whose conventions fnmesh knows: the signature it sends and where its payloads carry the
 * event's type, id, source and subject. Each attribute's preset is a list of values tried in order, the first
 * found winning, since one sender's payloads differ by kind (a Slack event callback, a Slack URL check).
 */
public enum Provider {

  /** Type {@code com.github.<X-GitHub-Event>}, id X-GitHub-Delivery, source the repository's html_url. */
  GITHUB(WebhookSource.GITHUB, new HmacSignature(new HmacSpec("X-Hub-Signature-256", "sha256", "sha256=")),
      Map.of(
          "type", List.of(header("X-GitHub-Event", "com.github.")),
          "source", List.of(pointer("/repository/html_url", "")),
          "id", List.of(header("X-GitHub-Delivery", ""))),
      // Events such as "ping" for an organisation hook or "sponsorship" have no repository.
      Set.of("source")),

  /**
   * Type {@code com.gitlab.<object_kind>} as the CloudEvents GitLab adapter names them (system hooks:
   * event_name), id X-Gitlab-Event-UUID (else Idempotency-Key), source the project's web_url.
   */
  GITLAB(WebhookSource.GITLAB, new GitlabToken(),
      Map.of(
          "type", List.of(pointer("/object_kind", "com.gitlab."), pointer("/event_name", "com.gitlab.")),
          "source", List.of(pointer("/project/web_url", ""), pointer("/repository/homepage", "")),
          "id", List.of(header("X-Gitlab-Event-UUID", ""), header("Idempotency-Key", ""))),
      Set.of("source", "id")),

  /**
   * Type {@code com.slack.<event.type>} for an Events API callback, else {@code com.slack.<type>}, id
   * event_id, source the workspace {@code https://app.slack.com/client/<team_id>}, subject the channel.
   * Slash commands and interactivity post forms, not JSON: they keep the defaults.
   */
  SLACK(WebhookSource.SLACK, new SlackSignature(),
      Map.of(
          "type", List.of(pointer("/event/type", "com.slack."), pointer("/type", "com.slack.")),
          "source", List.of(pointer("/team_id", "https://app.slack.com/client/")),
          "subject", List.of(pointer("/event/channel", "")),
          "id", List.of(pointer("/event_id", ""))),
      Set.of("type", "source", "subject", "id")),

  /** Type the payload's own type, such as {@code user.created}, id webhook-id. */
  STANDARD_WEBHOOKS(WebhookSource.STANDARD_WEBHOOKS, new StandardWebhooksSignature(),
      Map.of(
          "type", List.of(pointer("/type", "")),
          "id", List.of(header(StandardWebhooksSignature.ID, ""))),
      Set.of("type")),

  /**
   * Type {@code com.stripe.<type>}, such as {@code com.stripe.payment_intent.succeeded}, id the event's id,
   * source {@code https://stripe.com} (with {@code /<account>} for a connected account's event), subject the
   * id of the object the event is about.
   */
  STRIPE(WebhookSource.STRIPE, new StripeSignature(),
      Map.of(
          "type", List.of(pointer("/type", "com.stripe.")),
          "source", List.of(pointer("/account", "https://stripe.com/"), ValueSpec.constant("https://stripe.com")),
          "subject", List.of(pointer("/data/object/id", "")),
          "id", List.of(pointer("/id", ""))),
      Set.of("subject"));

  private final String key;
  private final SignatureScheme scheme;
  private final Map<String, List<ValueSpec>> presets;
  private final Set<String> fallsBackToDefault;

  Provider(String key, SignatureScheme scheme, Map<String, List<ValueSpec>> presets, Set<String> fallsBackToDefault) {
    this.key = key;
    this.scheme = scheme;
    this.presets = presets;
    this.fallsBackToDefault = fallsBackToDefault;
  }

  /** @throws IllegalArgumentException naming the known providers when {@code key} is none of them */
  public static Provider of(String key) {
    return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown webhook provider '" + key + "', expected one of "
            + Arrays.stream(values()).map(Provider::key).collect(Collectors.joining(", "))));
  }

  /** The name used in the mesh file, e.g. {@code github}. */
  public String key() {
    return key;
  }

  /**
   * The values an attribute's preset tries, in order; empty when the provider presets none. A webhook's own
   * value takes precedence over them.
   *
   * @param attribute {@code type}, {@code source}, {@code subject} or {@code id}
   */
  public List<ValueSpec> preset(String attribute) {
    return presets.getOrDefault(attribute, List.of());
  }

  /** The provider's signature check; a webhook's own {@code hmac} takes precedence over it. */
  public SignatureScheme scheme() {
    return scheme;
  }

  /** Whether the preset of the attribute yields to the attribute's default when none of its values finds anything. */
  boolean fallsBackToDefault(String attribute) {
    return fallsBackToDefault.contains(attribute);
  }

  private static ValueSpec header(String name, String prefix) {
    return new ValueSpec(ValueSpec.Kind.HEADER, name, prefix);
  }

  private static ValueSpec pointer(String pointer, String prefix) {
    return new ValueSpec(ValueSpec.Kind.POINTER, pointer, prefix);
  }
}
