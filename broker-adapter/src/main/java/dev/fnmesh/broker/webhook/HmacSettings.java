package dev.fnmesh.broker.webhook;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a webhook's requests are signed: {@code header} carries {@code prefix} followed by the hex HMAC of
 * the raw body, keyed with the webhook's secret.
 *
 * @param header the request header with the signature, e.g. {@code X-Hub-Signature-256}
 * @param algorithm the hash of the HMAC: {@code sha256} or {@code sha512}
 * @param prefix what precedes the hex digest in the header, e.g. {@code sha256=}; may be empty
 */
public record HmacSettings(String header, String algorithm, String prefix) {

  private static final Map<String, String> JCA_NAMES = new TreeMap<>(Map.of(
      "sha256", "HmacSHA256",
      "sha512", "HmacSHA512"));

  /** GitHub's signature: {@code X-Hub-Signature-256: sha256=<hex>}. */
  public static final HmacSettings GITHUB = new HmacSettings("X-Hub-Signature-256", "sha256", "sha256=");

  public HmacSettings {
    if (header == null || !ValueMapping.HEADER_NAME.matcher(header).matches()) {
      throw new IllegalArgumentException("hmac.header '" + header + "' is not a valid HTTP header name");
    }
    if (!JCA_NAMES.containsKey(algorithm)) {
      throw new IllegalArgumentException("hmac.algorithm '" + algorithm + "' is not supported, expected one of "
          + String.join(", ", JCA_NAMES.keySet()));
    }
    Objects.requireNonNull(prefix, "prefix");
  }

  /** The name of the algorithm for {@link javax.crypto.Mac#getInstance(String)}. */
  String jcaName() {
    return JCA_NAMES.get(algorithm);
  }
}
