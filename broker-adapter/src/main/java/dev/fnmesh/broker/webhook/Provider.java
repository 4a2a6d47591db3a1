package dev.fnmesh.broker.webhook;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A webhook sender whose conventions fnmesh knows: the attribute mappings and signature it implies. */
public enum Provider {

  /**
   * GitHub: type {@code com.github.<X-GitHub-Event>}, id {@code X-GitHub-Delivery}, source the repository's
   * {@code html_url} (or the default when the payload names no repository), signed in X-Hub-Signature-256.
   */
  GITHUB("github",
      new AttributeMappings(
          Optional.of(ValueMapping.header("X-GitHub-Event", "com.github.")),
          Optional.of(ValueMapping.pointer("/repository/html_url")),
          Optional.empty(),
          Optional.of(ValueMapping.header("X-GitHub-Delivery"))),
      // Events such as "ping" for an organisation hook or "sponsorship" have no repository.
      Set.of("source"),
      HmacSettings.GITHUB);

  private final String key;
  private final AttributeMappings mappings;
  private final Set<String> fallsBackToDefault;
  private final HmacSettings hmac;

  Provider(String key, AttributeMappings mappings, Set<String> fallsBackToDefault, HmacSettings hmac) {
    this.key = key;
    this.mappings = mappings;
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

  /** The preset mappings; a webhook's own mappings take precedence over them. */
  public AttributeMappings mappings() {
    return mappings;
  }

  /** The preset signature check; a webhook's own {@code hmac} takes precedence over it. */
  public HmacSettings hmac() {
    return hmac;
  }

  /** Whether the preset mapping of the attribute yields to the attribute's default when it finds nothing. */
  boolean fallsBackToDefault(String attribute) {
    return fallsBackToDefault.contains(attribute);
  }
}
