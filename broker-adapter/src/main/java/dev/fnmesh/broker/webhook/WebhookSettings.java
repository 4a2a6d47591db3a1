package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.TopicAdmin;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One webhook trigger as the ingress serves it: where it listens, where its events go, how a request
 * becomes a CloudEvent and how its signature is checked. The secret is resolved already; it never
 * appears in {@link #toString()}.
 *
 * @param trigger the trigger's name in the mesh file
 * @param path the last segment of {@code POST /webhooks/<path>}
 * @param topic the Kafka topic the events are written to, created when missing
 * @param partitions the partition count the topic is created with
 * @param provider a sender whose preset mappings and signature apply unless overridden here
 * @param mappings the attribute mappings declared for this webhook; they override the provider's
 * @param hmac the signature check declared for this webhook; it overrides the provider's
 * @param secret the HMAC key; required when {@code hmac} or a provider is set
 */
public record WebhookSettings(
    String trigger, String path, String topic, int partitions, Optional<Provider> provider,
    AttributeMappings mappings, Optional<HmacSettings> hmac, Optional<byte[]> secret) {

  public static final Pattern PATH = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  public static final int DEFAULT_PARTITIONS = 8;
  public static final int MAX_PARTITIONS = 10_000;

  public WebhookSettings {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(mappings, "mappings");
    Objects.requireNonNull(hmac, "hmac");
    Objects.requireNonNull(secret, "secret");
    String where = "trigger " + trigger + ": webhook.";
    if (path == null || !PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(where + "path '" + path + "' must match " + PATH.pattern());
    }
    String badTopic = TopicAdmin.checkName(topic);
    if (badTopic != null) {
      throw new IllegalArgumentException("trigger " + trigger + ": topic: " + badTopic);
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("trigger " + trigger + ": partitions must be between 1 and "
          + MAX_PARTITIONS + ", got " + partitions);
    }
    if (secret.isPresent() && secret.get().length == 0) {
      throw new IllegalArgumentException(where + "secret must not be empty");
    }
    if (secret.isEmpty() && (hmac.isPresent() || provider.isPresent())) {
      throw new IllegalArgumentException(where + "secret is required when "
          + (hmac.isPresent() ? "hmac" : "provider " + provider.get().key()) + " is set");
    }
    // A copy, so that nobody holding the caller's array can change the key of a running webhook.
    secret = secret.map(byte[]::clone);
  }

  /** The default topic of a webhook trigger: {@code fnmesh.<trigger>}. */
  public static String defaultTopic(String trigger) {
    return "fnmesh." + trigger;
  }

  /** A copy of the HMAC key. */
  @Override
  public Optional<byte[]> secret() {
    return secret.map(byte[]::clone);
  }

  /** The signature check requests must pass: the declared one, else the provider's, else none. */
  public Optional<HmacSettings> effectiveHmac() {
    return hmac.or(() -> provider.map(Provider::hmac));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookSettings that
        && trigger.equals(that.trigger) && path.equals(that.path) && topic.equals(that.topic)
        && partitions == that.partitions && provider.equals(that.provider) && mappings.equals(that.mappings)
        && hmac.equals(that.hmac)
        && Arrays.equals(secret.orElse(null), that.secret.orElse(null));
  }

  @Override
  public int hashCode() {
    return Objects.hash(trigger, path, topic, partitions, provider, mappings, hmac,
        Arrays.hashCode(secret.orElse(null)));
  }

  @Override
  public String toString() {
    return "WebhookSettings[trigger=" + trigger + ", path=" + path + ", topic=" + topic
        + ", partitions=" + partitions + ", provider=" + provider.map(Provider::key).orElse("none")
        + ", mappings=" + mappings + ", hmac=" + hmac
        + ", secret=" + (secret.isPresent() ? "<redacted>" : "none") + "]";
  }
}
