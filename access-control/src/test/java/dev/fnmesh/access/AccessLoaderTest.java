package dev.fnmesh.access;

import dev.fnmesh.mesh.MeshProblem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLoaderTest {

  private final AccessLoader loader = new AccessLoader();

  @Test
  void bindsClientsWithTheirTokensGrantsAndRatesAndTheJwtSection() {
    AccessPolicy policy = loader.parse("""
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
          publicKey: { file: key.pem }
          rate: 600/m
        """, "access.yaml");
    assertEquals(List.of(
        new AccessClient("shop", Optional.of(new ClientToken(ClientToken.Source.ENV, "SHOP_TOKEN")), Optional.empty(),
            new Grants(List.of("orders", "shop.*"), List.of("greeter"), false, false),
            Optional.of(new RequestRate(200, Duration.ofSeconds(1)))),
        new AccessClient("ops", Optional.of(new ClientToken(ClientToken.Source.SHA256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")), Optional.of("CN=ops,O=Acme"),
            new Grants(List.of(), List.of(), true, true), Optional.empty())), policy.clients());
    assertEquals(Optional.of(new JwtSettings("https://id.example.com/", "fnmesh", Optional.empty(),
        Optional.of(Path.of("key.pem")), Optional.of(new RequestRate(600, Duration.ofMinutes(1))))), policy.jwt());
  }

  @Test
  void reportsEveryProblemAtItsLineAndKey() {
    AccessFileException e = assertThrows(AccessFileException.class, () -> loader.parse("""
        clients:
          shop:
            token: { env: SHOP_TOKEN, sha256: abc }
            publsh: [orders]
            rate: lots
          nobody:
            read: true
        """, "access.yaml"));
    List<String> keys = e.problems().stream().map(MeshProblem::key).toList();
    assertTrue(keys.contains("clients.shop.token"), keys.toString());
    assertTrue(keys.contains("clients.shop.publsh"), keys.toString());
    assertTrue(keys.contains("clients.shop.rate"), keys.toString());
    MeshProblem unknown = e.problems().stream().filter(p -> p.key().equals("clients.shop.publsh")).findFirst().orElseThrow();
    assertEquals(4, unknown.line());
    assertTrue(unknown.message().contains("did you mean \"publish\""), unknown.message());
  }

  @Test
  void aClientWithoutTokenOrCertificateIsRefused() {
    AccessFileException e = assertThrows(AccessFileException.class, () -> loader.parse("""
        clients:
          nobody:
            read: true
        """, "access.yaml"));
    assertEquals("clients.nobody", e.problems().get(0).key());
    assertTrue(e.getMessage().contains("no way to prove who it is"), e.getMessage());
  }

  @Test
  void anEmptyFileAndAnAliasBombAreRefusedWithoutExpanding() {
    assertThrows(AccessFileException.class, () -> loader.parse("  \n", "access.yaml"));
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char level = 'b'; level <= 'j'; level++) {
      char previous = (char) (level - 1);
      bomb.append(level).append(": &").append(level).append(" [*").append(previous).append(", *").append(previous)
          .append(", *").append(previous).append(", *").append(previous).append(", *").append(previous)
          .append(", *").append(previous).append(", *").append(previous).append(", *").append(previous)
          .append(", *").append(previous).append(", *").append(previous).append("]\n");
    }
    AccessFileException e = assertThrows(AccessFileException.class, () -> loader.parse(bomb.toString(), "access.yaml"));
    assertTrue(e.getMessage().contains("alias"), e.getMessage());
  }

  @Test
  void jwtNeedsExactlyOneSourceOfKeys() {
    AccessFileException e = assertThrows(AccessFileException.class, () -> loader.parse("""
        jwt:
          issuer: https://id.example.com/
          audience: fnmesh
        """, "access.yaml"));
    assertEquals("jwt", e.problems().get(0).key());
    assertTrue(e.getMessage().contains("exactly one of jwks or publicKey"), e.getMessage());
  }
}
