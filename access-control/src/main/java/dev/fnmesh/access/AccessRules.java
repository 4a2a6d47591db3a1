package dev.fnmesh.access;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.fnmesh.mesh.MeshProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One reading of the access file, ready to check requests: the clients with their tokens read, the JWT
 * keys fetched, a fresh count of each caller's rate. Immutable but for those counts; replaced whole when the
 * file changes.
 *
 * @param text the file's content, to notice a change
 */
record AccessRules(String text, Callers callers, Optional<JwtCallers> jwt, RateLimits rates) {

  /**
   * Reads the file off the event loop, then fetches the JWT keys it names.
   *
   * @return failed with an {@link AccessFileException} when the file is invalid or names a token that cannot be read
   */
  static Future<AccessRules> read(Vertx vertx, AccessLoader loader, Path file, Function<String, String> env) {
    return vertx.executeBlocking(() -> {
      String text = Files.readString(file);
      AccessPolicy policy = loader.parse(text, file.toString());
      return new Parsed(text, policy, Callers.resolve(policy, file.toString(), env));
    }, false).recover(e -> Future.failedFuture(e instanceof AccessFileException ? e : new AccessFileException(
        List.of(new MeshProblem(file.toString(), 0, 0, "", "cannot read the access file: " + e)))))
        .compose(parsed -> {
          Future<Optional<JwtCallers>> jwt = parsed.policy().jwt().isPresent()
              ? JwtCallers.create(vertx, parsed.policy().jwt().get()).map(Optional::of)
              : Future.succeededFuture(Optional.empty());
          return jwt.map(keys -> new AccessRules(parsed.text(), parsed.callers(), keys,
              new RateLimits(System::nanoTime)));
        });
  }

  private record Parsed(String text, AccessPolicy policy, Callers callers) {}
}
