package dev.fnmesh.access;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard in front of a real Vert.x router, called over HTTP; each route records that it ran. */
class AccessGuardTest {

  private static final String SHOP_TOKEN = "shop-secret-token";
  private static final String OPS_TOKEN = "ops-secret-token";

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> reached = new ArrayList<>();
  private KeyPair keys;
  private AccessGuard guard;
  private HttpServer server;

  @BeforeEach
  void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
  }

  @AfterEach
  void stop() throws Exception {
    if (guard != null) {
      guard.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void withoutATokenOrWithAnUnknownOneTheAnswerIs401AndNoRouteRuns() throws Exception {
    start(accessFile(""));
    HttpResponse<String> none = send("POST", "/topics/orders", null);
    assertEquals(401, none.statusCode());
    assertEquals("Bearer realm=\"fnmesh\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
    JsonObject body = new JsonObject(none.body());
    assertEquals(401, body.getInteger("status"));
    assertEquals("authorization", body.getString("field"));
    HttpResponse<String> unknown = send("POST", "/topics/orders", "not-a-token");
    assertEquals(401, unknown.statusCode());
    assertTrue(unknown.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
    assertEquals(List.of(), reached);
  }

  @Test
  void aTokenWithoutTheGrantIs403NamingTheGrant() throws Exception {
    start(accessFile(""));
    HttpResponse<String> response = send("POST", "/topics/greetings", SHOP_TOKEN);
    assertEquals(403, response.statusCode());
    assertTrue(new JsonObject(response.body()).getString("message").contains("publish:greetings"), response.body());
    assertEquals(403, send("PUT", "/api/mesh", SHOP_TOKEN).statusCode());
    assertEquals(403, send("GET", "/api/mesh", SHOP_TOKEN).statusCode());
    assertEquals(List.of(), reached);
  }

  @Test
  void grantedRequestsReachTheirRoutesAndOpenRoutesNeedNoToken() throws Exception {
    start(accessFile(""));
    assertEquals(200, send("POST", "/topics/orders", SHOP_TOKEN).statusCode());
    assertEquals(200, send("POST", "/topics/shop.refunds", "  " + SHOP_TOKEN).statusCode());
    assertEquals(200, send("POST", "/functions/greeter", SHOP_TOKEN).statusCode());
    assertEquals(200, send("PUT", "/api/mesh", OPS_TOKEN).statusCode());
    assertEquals(200, send("GET", "/healthz", null).statusCode());
    assertEquals(200, send("POST", "/webhooks/github", null).statusCode());
    assertEquals(List.of("POST /topics/orders", "POST /topics/shop.refunds", "POST /functions/greeter", "PUT /api/mesh",
        "GET /healthz", "POST /webhooks/github"), reached);
  }

  @Test
  void aTokenGivenByItsSha256IsKnown() throws Exception {
    String digest = HexFormat.of().formatHex(Callers.sha256("reader".getBytes(StandardCharsets.UTF_8)));
    start(accessFile("  reader:\n    token: { sha256: " + digest + " }\n    read: true\n"));
    assertEquals(200, send("GET", "/api/mesh", "reader").statusCode());
  }

  @Test
  void aCallerOverItsRateIs429WithRetryAfter() throws Exception {
    start(accessFile("  limited:\n    token: { env: LIMITED_TOKEN }\n    publish: [orders]\n    rate: 3/m\n"));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send("POST", "/topics/orders", "limited-token").statusCode());
    }
    HttpResponse<String> over = send("POST", "/topics/orders", "limited-token");
    assertEquals(429, over.statusCode());
    long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 20, "Retry-After " + retryAfter);
    assertEquals(3, reached.size());
  }

  @Test
  void aSignedJwtGrantsItsScopeWhileAnExpiredForgedOrForeignOneIs401() throws Exception {
    Path pem = dir.resolve("key.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    start(accessFile("", "jwt:\n  issuer: https://id.example.com/\n  audience: fnmesh\n  publicKey: { file: " + pem + " }\n"));
    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("iss", "https://id.example.com/").put("aud", "fnmesh").put("sub", "alice")
        .put("scope", "publish:orders read").put("iat", now).put("exp", now + 300);
    assertEquals(200, send("POST", "/topics/orders", jwt(claims, keys)).statusCode());
    assertEquals(200, send("GET", "/api/mesh", jwt(claims, keys)).statusCode());
    HttpResponse<String> lacking = send("POST", "/topics/audit", jwt(claims, keys));
    assertEquals(403, lacking.statusCode());
    assertTrue(lacking.body().contains("jwt:alice"), lacking.body());
    assertEquals(401, send("POST", "/topics/orders", jwt(claims.copy().put("exp", now - 60), keys)).statusCode());
    assertEquals(401, send("POST", "/topics/orders", jwt(claims.copy().put("aud", "other"), keys)).statusCode());
    assertEquals(401, send("POST", "/topics/orders", jwt(claims.copy().put("iss", "https://evil/"), keys)).statusCode());
    assertEquals(401, send("POST", "/topics/orders", jwt(claims.copy().put("nbf", now + 600), keys)).statusCode());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    assertEquals(401, send("POST", "/topics/orders", jwt(claims, generator.generateKeyPair())).statusCode());
    String unsigned = base64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "."
        + base64(claims.encode()) + ".";
    assertEquals(401, send("POST", "/topics/orders", unsigned).statusCode());
    assertEquals(2, reached.size());
  }

  @Test
  void keysFromAJwksUrlAreUsed() throws Exception {
    RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("alg", "RS256").put("use", "sig")
        .put("n", base64(unsigned(publicKey.getModulus().toByteArray())))
        .put("e", base64(unsigned(publicKey.getPublicExponent().toByteArray())));
    HttpServer jwks = vertx.createHttpServer().requestHandler(request -> request.response()
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("keys", new JsonArray().add(jwk)).encode())).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    start(accessFile("", "jwt:\n  issuer: https://id.example.com/\n  audience: fnmesh\n  jwks: http://127.0.0.1:"
        + jwks.actualPort() + "/jwks.json\n"));
    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("iss", "https://id.example.com/").put("aud", "fnmesh").put("sub", "bob")
        .put("scope", "invoke:greeter").put("exp", now + 300);
    assertEquals(200, send("POST", "/functions/greeter", jwt(claims, keys)).statusCode());
  }

  @Test
  void aChangedFileIsInForceAtOnceAndABrokenChangeKeepsTheRulesInForce() throws Exception {
    Path file = accessFile("");
    start(file);
    assertEquals(403, send("POST", "/topics/audit", SHOP_TOKEN).statusCode());
    Files.writeString(file, Files.readString(file).replace("publish: [orders, \"shop.*\"]", "publish: [orders, audit]"));
    awaitStatus(200, "POST", "/topics/audit", SHOP_TOKEN);
    String working = Files.readString(file);
    Files.writeString(file, "clients: [this is not a mapping");
    Files.writeString(file, working + "  billing:\n    token: { sha256: " + "ab".repeat(32) + " }\n    publsh: [x]\n");
    assertEquals(200, send("POST", "/topics/audit", SHOP_TOKEN).statusCode());
    Files.writeString(file, working.replace("invoke: [greeter]", "invoke: [greeter, resize]"));
    awaitStatus(200, "POST", "/functions/resize", SHOP_TOKEN);
    assertEquals(200, send("POST", "/topics/audit", SHOP_TOKEN).statusCode());
  }

  private void awaitStatus(int status, String method, String path, String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (send(method, path, token).statusCode() != status) {
      assertTrue(System.nanoTime() < deadline, "no " + status + " for " + method + " " + path + " within 10 s");
      Thread.onSpinWait();
    }
  }

  private Path accessFile(String moreClients) throws Exception {
    return accessFile(moreClients, "");
  }

  private Path accessFile(String moreClients, String jwtSection) throws Exception {
    Path file = dir.resolve("access.yaml");
    Files.writeString(file, """
        clients:
          shop:
            token: { env: SHOP_TOKEN }
            publish: [orders, "shop.*"]
            invoke: [greeter]
          ops:
            token: { env: OPS_TOKEN }
            read: true
            admin: true
        """ + moreClients + jwtSection);
    return file;
  }

  private void start(Path file) throws Exception {
    Map<String, String> env = Map.of("SHOP_TOKEN", SHOP_TOKEN, "OPS_TOKEN", OPS_TOKEN, "LIMITED_TOKEN", "limited-token");
    guard = AccessGuard.create(vertx, file, env::get, 50);
    guard.start().await(10, TimeUnit.SECONDS);
    Router router = Router.router(vertx);
    router.route().handler(guard);
    router.route().handler(ctx -> {
      synchronized (reached) {
        reached.add(ctx.request().method() + " " + ctx.normalizedPath());
      }
      ctx.response().end("ok");
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .method(method, HttpRequest.BodyPublishers.ofString("{\"hello\":\"world\"}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A JWT signed with RS256 the way RFC 7515 says, without the library under test. */
  private static String jwt(JsonObject claims, KeyPair signer) throws Exception {
    String signingInput = base64(new JsonObject().put("alg", "RS256").put("typ", "JWT").encode()) + "."
        + base64(claims.encode());
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(signer.getPrivate());
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
  }

  private static String base64(String text) {
    return base64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(byte[] twosComplement) {
    return twosComplement[0] == 0 ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
  }
}
