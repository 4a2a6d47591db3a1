package dev.fnmesh.access;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks every request against the access file before any route runs: who calls (a bearer token, a JWT or a
 * TLS client certificate), whether its rate allows one more request, and whether its grants cover what the
 * request needs. A refusal reaches no route, so it writes nothing and changes nothing. The file is read
 * again when it changes; a change that does not check out leaves the rules in force as they were.
 */
public final class AccessGuard implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);

  private final Vertx vertx;
  private final Path file;
  private final Function<String, String> env;
  private final long watchInterval;
  private final AccessLoader loader = new AccessLoader();
  // Swapped whole by the watch, read by every event loop: each request sees one reading of the file.
  private volatile AccessRules rules;
  private String refusedText;
  private long timer = -1;

  private AccessGuard(Vertx vertx, Path file, Function<String, String> env, long watchInterval) {
    this.vertx = vertx;
    this.file = file;
    this.env = env;
    this.watchInterval = watchInterval;
  }

  /**
   * A guard of the access file; it checks requests once {@link #start() started}.
   *
   * @param env where tokens named with {@code env:} are read from, usually {@link System#getenv(String)}
   * @param watchInterval how often the file is checked for changes, in milliseconds; 0 to not watch it
   */
  public static AccessGuard create(Vertx vertx, Path file, Function<String, String> env, long watchInterval) {
    return new AccessGuard(vertx, file, env, watchInterval);
  }

  /**
   * Reads an access file and the tokens it names, as a guard would, to refuse a bad one before anything starts.
   *
   * @throws AccessFileException when the file is invalid or names a token that cannot be read
   */
  public static void check(Path file, Function<String, String> env) {
    Callers.resolve(new AccessLoader().load(file), file.toString(), env);
  }

  /**
   * Reads the access file, then watches it for changes.
   *
   * @return failed with an {@link AccessFileException} when the file is invalid or names a token that cannot be read
   */
  public Future<Void> start() {
    return AccessRules.read(vertx, loader, file, env).map(read -> {
      rules = read;
      if (watchInterval > 0) {
        timer = vertx.setPeriodic(watchInterval, id -> reread());
      }
      return null;
    });
  }

  /** Stops watching the file. */
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Need need = Need.of(request.method(), ctx.normalizedPath());
    if (need instanceof Need.Open) {
      ctx.next();
      return;
    }
    AccessRules current = rules;
    Optional<String> bearer = bearer(request.getHeader("Authorization"));
    if (bearer.isPresent()) {
      Optional<Caller> known = current.callers().byToken(bearer.get());
      if (known.isPresent()) {
        decide(ctx, current, known.get(), need);
      } else if (current.jwt().isPresent() && JwtCallers.looksLikeJwt(bearer.get())) {
        // The body waits while the token is checked, so that the route reads it whole.
        request.pause();
        current.jwt().get().authenticate(bearer.get()).onComplete(checked -> {
          request.resume();
          if (checked.succeeded()) {
            decide(ctx, current, checked.result(), need);
          } else {
            Refusals.unauthenticated(ctx, "the token is not valid: " + checked.cause().getMessage(), true);
          }
        });
      } else {
        Refusals.unauthenticated(ctx, "the token is not known", true);
      }
      return;
    }
    Optional<Caller> certified = certified(request, current.callers());
    if (certified.isPresent()) {
      decide(ctx, current, certified.get(), need);
    } else {
      Refusals.unauthenticated(ctx, "this port needs credentials: send Authorization: Bearer <token>", false);
    }
  }

  private static void decide(RoutingContext ctx, AccessRules current, Caller caller, Need need) {
    Optional<String> lacking = caller.grants().lacking(need);
    if (lacking.isPresent()) {
      LOG.info("refused client={} lacks={} path={}", caller.name(), lacking.get(), ctx.normalizedPath());
      Refusals.forbidden(ctx, caller, lacking.get());
      return;
    }
    Optional<java.time.Duration> wait = current.rates().take(caller);
    if (wait.isPresent()) {
      Refusals.tooMany(ctx, caller, wait.get());
      return;
    }
    ctx.next();
  }

  private static Optional<String> bearer(String authorization) {
    if (authorization == null || authorization.length() <= "Bearer ".length()
        || !authorization.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
      return Optional.empty();
    }
    String token = authorization.substring("Bearer ".length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /** The client a verified TLS client certificate stands for, when the access file names its subject. */
  private static Optional<Caller> certified(HttpServerRequest request, Callers callers) {
    if (!request.isSSL() || !callers.acceptsCertificates()) {
      return Optional.empty();
    }
    try {
      var certificates = request.connection().peerCertificates();
      return certificates.isEmpty() || !(certificates.get(0) instanceof X509Certificate certificate)
          ? Optional.empty()
          : callers.bySubject(certificate.getSubjectX500Principal());
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private void reread() {
    vertx.executeBlocking(() -> Files.readString(file), false).onSuccess(text -> {
      if (text.equals(rules.text()) || text.equals(refusedText)) {
        return;
      }
      AccessRules.read(vertx, loader, file, env).onComplete(read -> {
        if (read.succeeded()) {
          rules = read.result();
          refusedText = null;
          LOG.info("access file changed, now in force file={} clients={}", file, read.result().callers().clients());
        } else {
          // Said once per content, not every interval.
          refusedText = text;
          LOG.error("access file not applied, the rules in force stay file={}\n{}", file, read.cause().getMessage());
        }
      });
    });
  }
}
