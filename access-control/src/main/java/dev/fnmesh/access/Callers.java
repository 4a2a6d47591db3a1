package dev.fnmesh.access;

import dev.fnmesh.mesh.MeshProblem;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * The clients of an access file, their tokens read from where the file says. Only each token's SHA-256 is
 * kept: a token is looked up by its digest, compared with every client's in constant time, so neither the
 * time of an answer nor a heap dump gives a token away. Immutable.
 */
final class Callers {

  private record ByToken(byte[] digest, Caller caller) {}

  private final List<ByToken> byToken;
  private final Map<String, Caller> bySubject;
  private final int clients;

  private Callers(List<ByToken> byToken, Map<String, Caller> bySubject, int clients) {
    this.byToken = byToken;
    this.bySubject = bySubject;
    this.clients = clients;
  }

  /**
   * @param env the environment tokens named with {@code env:} are read from
   * @throws AccessFileException when a token's variable is unset or its file unreadable or empty, or a
   *     certificate subject is not a distinguished name
   */
  static Callers resolve(AccessPolicy policy, String source, Function<String, String> env) {
    List<ByToken> byToken = new ArrayList<>();
    Map<String, Caller> bySubject = new HashMap<>();
    List<MeshProblem> problems = new ArrayList<>();
    for (AccessClient client : policy.clients()) {
      Caller caller = new Caller(client.name(), client.grants(), client.rate());
      client.token().ifPresent(token -> {
        String key = "clients." + client.name() + ".token." + token.source().name().toLowerCase(java.util.Locale.ROOT);
        try {
          byToken.add(new ByToken(digest(token, env), caller));
        } catch (IllegalArgumentException e) {
          problems.add(new MeshProblem(source, 0, 0, key, e.getMessage()));
        }
      });
      client.certificateSubject().ifPresent(subject -> {
        try {
          bySubject.put(canonical(subject), caller);
        } catch (IllegalArgumentException e) {
          problems.add(new MeshProblem(source, 0, 0, "clients." + client.name() + ".certificateSubject",
              "not a distinguished name such as CN=shop,O=Acme: " + e.getMessage()));
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new AccessFileException(problems);
    }
    return new Callers(List.copyOf(byToken), Map.copyOf(bySubject), policy.clients().size());
  }

  /** The client a bearer token stands for. */
  Optional<Caller> byToken(String token) {
    byte[] presented = sha256(token.getBytes(StandardCharsets.UTF_8));
    Caller found = null;
    for (ByToken known : byToken) {
      // Every digest is compared, whatever matched before, so the time taken says nothing of which did.
      if (MessageDigest.isEqual(known.digest(), presented) && found == null) {
        found = known.caller();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The client a TLS client certificate's subject stands for. */
  Optional<Caller> bySubject(X500Principal subject) {
    return Optional.ofNullable(bySubject.get(subject.getName(X500Principal.CANONICAL)));
  }

  int clients() {
    return clients;
  }

  boolean acceptsCertificates() {
    return !bySubject.isEmpty();
  }

  static String canonical(String subject) {
    return new X500Principal(subject).getName(X500Principal.CANONICAL);
  }

  private static byte[] digest(ClientToken token, Function<String, String> env) {
    return switch (token.source()) {
      case SHA256 -> HexFormat.of().parseHex(token.value().toLowerCase(java.util.Locale.ROOT));
      case ENV -> {
        String value = env.apply(token.value());
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("the environment variable " + token.value() + " is not set");
        }
        yield sha256(value.getBytes(StandardCharsets.UTF_8));
      }
      case FILE -> {
        String value;
        try {
          value = Files.readString(Path.of(token.value()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read the token file " + token.value() + ": "
              + e.getClass().getSimpleName());
        }
        if (value.isEmpty()) {
          throw new IllegalArgumentException("the token file " + token.value() + " is empty");
        }
        yield sha256(value.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
