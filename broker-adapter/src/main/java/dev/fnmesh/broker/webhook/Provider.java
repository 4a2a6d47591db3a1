package dev.fnmesh.broker.webhook;

import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A webhook sender whose conventions fnmesh knows: the attribute values and signature it implies. */
public enum Provider {

  /**
   * GitHub: type {@code com.github.<X-GitHub-Event>}, id {@code X-GitHub-Delivery}, source the repository's
   * {@code html_url} (or the default when the payload names no repository), signed in X-Hub-Signature-256.
   */
  GITHUB(WebhookSource.GITHUB,
      Map.of(
          "type", new ValueSpec(ValueSpec.Kind.HEADER, "X-GitHub-Event", "com.github."),
          "source", new ValueSpec(ValueSpec.Kind.POINTER, "/repository/html_url", ""),
          "id", new ValueSpec(ValueSpec.Kind.HEADER, "X-GitHub-Delivery", "")),
      // Events such as "ping" for an organisation hook or "sponsorship" have no repository.
      Set.of("source"),
      new HmacSpec("X-Hub-Signature-256", "sha256", "sha256="));

  private final String key;
  private final Map<String, ValueSpec> presets;
  private final Set<String> fallsBackToDefault;
  private final HmacSpec hmac;

  Provider(String key, Map<String, ValueSpec> presets, Set<String> fallsBackToDefault, HmacSpec hmac) {
    this.key = key;
    this.presets = presets;
    this.fallsBackToDefault = fallsBackToDefault;
    this.hmac = hmac;
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
   * The preset value of an attribute; a webhook's own value takes precedence over it.
   *
   * @param attribute {@code type}, {@code source}, {@code subject} or {@code id}
   */
  public Optional<ValueSpec> preset(String attribute) {
    return Optional.ofNullable(presets.get(attribute));
  }

  /** The preset signature check; a webhook's own {@code hmac} takes precedence over it. */
  public HmacSpec hmac() {
    return hmac;
  }

  /** Whether the preset value of the attribute yields to the attribute's default when it finds nothing. */
  boolean fallsBackToDefault(String attribute) {
    return fallsBackToDefault.contains(attribute);
  }
}
