package dev.fnmesh.access;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any text given as an access file becomes an access policy or an {@link AccessFileException} listing its
 * problems; no text makes the loader throw anything else.
 */
class AccessLoaderFuzzTest {

  private static final AccessLoader LOADER = new AccessLoader();
  private static final List<String> SEEDS = List.of("""
      clients:
        shop:
          token: { env: SHOP_TOKEN }
          publish: [orders, "shop.*"]
          invoke: [greeter]
          rate: 200/s
        ops:
          token: { sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }
          certificateSubject: CN=ops,O=Acme
          read: true
          admin: true
      jwt:
        issuer: https://id.example.com/
        audience: fnmesh
        jwks: https://id.example.com/jwks.json
        rate: 600/m
      """, "clients: {}\n", "jwt: { issuer: i, audience: a, publicKey: { file: k.pem } }\n");
  private static final List<String> TOKENS = List.of("\n", "\n  ", "  ", ": ", "- ", "{", "}", "[", "]", ",", "&a ",
      "*a", "<<: *a", "!!int ", "!!map ", "!!binary ", "'", "\"", "#", "~", "null", "true", "1e999", "0x", "-1",
      "999999999999/s", "0/s", "1/h", "CN=", "=", "\u0000", "\uD800", "é", "clients", "token", "env", "file",
      "sha256", "publish", "invoke", "read", "admin", "rate", "jwt", "issuer", "audience", "jwks", "publicKey",
      "certificateSubject", "*", "**", ".");

  @Property(seed = "20261207", tries = 3000)
  void everyTextLoadsOrIsRefusedWithProblems(@ForAll("texts") String text) {
    AccessPolicy policy;
    try {
      policy = LOADER.parse(text, "fuzz.yaml");
    } catch (AccessFileException refused) {
      assertFalse(refused.problems().isEmpty());
      refused.problems().forEach(problem -> assertFalse(problem.message().isBlank(), problem::toString));
      return;
    }
    assertNotNull(policy);
  }

  /** A seed with up to eight edits, each inserting, replacing or deleting around a random place. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, TOKENS.size() - 1),
        Arbitraries.integers().between(1, 12)).as((kind, at, token, length) -> new int[] {kind, at, token, length});
    return Combinators.combine(Arbitraries.of(SEEDS), edit.list().ofMaxSize(8)).as((seed, edits) -> {
      StringBuilder text = new StringBuilder(seed);
      for (int[] e : edits) {
        int at = text.length() == 0 ? 0 : e[1] % text.length();
        switch (e[0]) {
          case 0 -> text.insert(at, TOKENS.get(e[2]));
          case 1 -> text.replace(at, Math.min(text.length(), at + e[3]), TOKENS.get(e[2]));
          default -> text.delete(at, Math.min(text.length(), at + e[3]));
        }
      }
      return text.toString();
    });
  }
}
