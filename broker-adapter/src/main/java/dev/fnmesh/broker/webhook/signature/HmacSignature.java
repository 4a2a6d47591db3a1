package dev.fnmesh.broker.webhook.signature;

import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import io.vertx.core.MultiMap;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook's {@code hmac:}, and GitHub's X-Hub-Signature-256: a header carrying a prefix and the hex HMAC of
 * the raw body, or of {@code <timestamp>.<body>} when the check has a signed timestamp, which then must be
 * within the tolerance and makes a replay recognisable.
 *
 * @param spec the check as the mesh file declares it
 */
public record HmacSignature(HmacSpec spec) implements SignatureScheme {

  // The JCA name of every algorithm HmacSpec accepts.
  private static final Map<String, String> JCA_NAMES = Map.of("sha256", Hmacs.SHA256, "sha512", Hmacs.SHA512);

  public HmacSignature {
    Objects.requireNonNull(spec, "spec");
  }

  @Override
  public Verdict verify(byte[] secret, MultiMap headers, byte[] body, Instant now) {
    String header = spec.header();
    String value = headers.get(header);
    if (value == null || value.isBlank()) {
      return Verdict.refused(header, "signature header " + header + " is missing; it must carry "
          + (spec.prefix().isEmpty() ? "" : "'" + spec.prefix() + "' and ") + "the hex HMAC-"
          + spec.algorithm().toUpperCase(Locale.ROOT) + " of " + covered() + ", keyed with the webhook's secret");
    }
    String signature = value.strip();
    if (!signature.startsWith(spec.prefix())) {
      return Verdict.refused(header, "signature header " + header + " must start with '" + spec.prefix() + "'");
    }
    Optional<byte[]> given = Hmacs.fromHex(signature.substring(spec.prefix().length()));
    if (given.isEmpty()) {
      return Verdict.refused(header, "signature header " + header + " must hold a hexadecimal digest after '"
          + spec.prefix() + "'");
    }
    if (spec.timestamp().isEmpty()) {
      return Hmacs.same(hmac(secret, body), given.get())
          ? new Verdict.Genuine(Optional.empty())
          : mismatch();
    }
    return verifyTimestamped(spec.timestamp().get(), secret, headers, body, given.get(), now);
  }

  private Verdict verifyTimestamped(HmacTimestamp timestamp, byte[] secret, MultiMap headers, byte[] body,
      byte[] given, Instant now) {
    String text = headers.get(timestamp.header());
    Optional<Instant> signed = SignedTime.parse(text == null ? null : text.strip());
    if (signed.isEmpty()) {
      return Verdict.refused(timestamp.header(), SignedTime.expected("timestamp header " + timestamp.header())
          + (text == null ? ", and is missing" : ""));
    }
    byte[] expected = hmac(secret, Hmacs.utf8(text.strip()), new byte[] {'.'}, body);
    if (!Hmacs.same(expected, given)) {
      return mismatch();
    }
    Optional<String> stale = SignedTime.stale(signed.get(), timestamp.tolerance(), now);
    if (stale.isPresent()) {
      return Verdict.refused(timestamp.header(), stale.get());
    }
    return new Verdict.Genuine(Optional.of(
        new ReplayKey(Hmacs.hex(expected), spec.header(), signed.get().plus(timestamp.tolerance()))));
  }

  private byte[] hmac(byte[] secret, byte[]... parts) {
    return Hmacs.hmac(JCA_NAMES.get(spec.algorithm()), secret, parts);
  }

  private String covered() {
    return spec.timestamp().map(t -> "'<" + t.header() + ">.<body>'").orElse("the body");
  }

  private Verdict mismatch() {
    return Verdict.refused(spec.header(), "signature in header " + spec.header() + " does not match "
        + covered() + "; check that sender and trigger share the same secret");
  }
}
