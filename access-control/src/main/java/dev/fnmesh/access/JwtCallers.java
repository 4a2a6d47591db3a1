package dev.fnmesh.access;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Callers known by a JWT an identity provider signed, checked by vertx-auth-jwt: signature, {@code exp},
 * {@code nbf}, issuer and audience. The keys come from a PEM file or from the provider's JWKS, read once
 * when the access file is (re)read.
 */
final class JwtCallers {

  private final JWTAuth auth;
  private final JwtSettings settings;

  private JwtCallers(JWTAuth auth, JwtSettings settings) {
    this.auth = auth;
    this.settings = settings;
  }

  /** Reads the public key or fetches the key set. */
  static Future<JwtCallers> create(Vertx vertx, JwtSettings settings) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(settings.issuer())
        .setAudience(List.of(settings.audience())));
    Future<JWTAuthOptions> keyed = settings.publicKey().isPresent()
        ? vertx.executeBlocking(() -> {
          String pem = Files.readString(settings.publicKey().get());
          return options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithmOf(pem)).setBuffer(pem));
        }, false)
        : fetchKeySet(vertx, settings.jwks().get()).map(keys -> {
          keys.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
              // A key without "alg" cannot be used by vertx-auth-jwt; RS256 is what providers sign with by default.
              .map(key -> key.containsKey("alg") ? key : key.copy().put("alg", key.getString("kty", "").equals("EC")
                  ? "ES256" : "RS256"))
              .forEach(options::addJwk);
          return options;
        });
    return keyed.map(keyedOptions -> new JwtCallers(JWTAuth.create(vertx, keyedOptions), settings));
  }

  /** Whether a bearer token is a JWT rather than an access file's token: three dot-separated parts. */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first + 1 && token.chars().filter(c -> c == '.').count() == 2;
  }

  /** @return the caller, named by the token's {@code sub}, with the grants of its {@code scope}; failed when it does not check out */
  Future<Caller> authenticate(String token) {
    return auth.authenticate(new TokenCredentials(token)).map(user -> {
      JsonObject claims = user.principal();
      Object scope = claims.getValue("scope", claims.getValue("scp", ""));
      String scopes = scope instanceof JsonArray array ? String.join(" ", array.stream().map(String::valueOf).toList())
          : String.valueOf(scope);
      return new Caller("jwt:" + claims.getString("sub", "?"), Grants.fromScope(scopes), settings.rate());
    });
  }

  private static Future<JsonArray> fetchKeySet(Vertx vertx, String url) {
    HttpClient client = vertx.createHttpClient();
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200 ? response.body() : Future.failedFuture(
            new IllegalStateException("the JWKS at " + url + " answered " + response.statusCode())))
        .map(Buffer::toJsonObject)
        .map(set -> set.getJsonArray("keys", new JsonArray()))
        .eventually(client::close);
  }

  /** RS256 for an RSA key, ES256 for an elliptic-curve one: a PEM file says which by its content alone. */
  private static String algorithmOf(String pem) throws Exception {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
    try {
      KeyFactory.getInstance("RSA").generatePublic(spec);
      return "RS256";
    } catch (java.security.spec.InvalidKeySpecException notRsa) {
      KeyFactory.getInstance("EC").generatePublic(spec);
      return "ES256";
    }
  }
}
