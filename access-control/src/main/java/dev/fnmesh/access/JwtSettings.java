package dev.fnmesh.access;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Tokens an identity provider signs: accepted when their signature, {@code exp}, {@code nbf}, issuer and
 * audience check out. Their {@code scope} claim holds the grants, their {@code sub} names the caller.
 *
 * @param issuer the {@code iss} claim tokens must carry
 * @param audience the {@code aud} claim tokens must carry
 * @param jwks the URL of the provider's JSON Web Key Set; exactly one of it and publicKey
 * @param publicKey a PEM file with the public key tokens are signed with
 * @param rate the most requests each subject may make; unlimited when empty
 */
public record JwtSettings(String issuer, String audience, Optional<String> jwks, Optional<Path> publicKey,
    Optional<RequestRate> rate) {

  public JwtSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(rate, "rate");
    if (jwks.isPresent() == publicKey.isPresent()) {
      throw new IllegalArgumentException("JWTs are checked with exactly one of jwks or publicKey");
    }
  }
}
