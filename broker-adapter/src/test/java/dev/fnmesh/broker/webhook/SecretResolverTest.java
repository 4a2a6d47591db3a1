package dev.fnmesh.broker.webhook;

import dev.fnmesh.mesh.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretResolverTest {

  private final SecretResolver resolver = new SecretResolver(Map.of("GITHUB_WEBHOOK_SECRET", "s3cr3t", "EMPTY", "")::get);

  @TempDir
  Path dir;

  private static SecretRef env(String name) {
    return new SecretRef(Optional.of(name), Optional.empty());
  }

  private static SecretRef file(Path path) {
    return new SecretRef(Optional.empty(), Optional.of(path.toString()));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAnEnvironmentVariableAsUtf8() {
    assertArrayEquals(utf8("s3cr3t"), resolver.resolve(env("GITHUB_WEBHOOK_SECRET")));
  }

  @Test
  void namesAnEnvironmentVariableThatIsNotSet() {
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve(env("NOPE")));
    assertEquals("environment variable NOPE is not set", e.getMessage());
  }

  @Test
  void refusesAnEmptyEnvironmentVariable() {
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve(env("EMPTY")));
    assertTrue(e.getMessage().startsWith("environment variable EMPTY is empty"), e.getMessage());
  }

  @Test
  void readsAFileWithoutOneTrailingNewline() throws Exception {
    Path file = Files.write(dir.resolve("secret"), utf8("s3cr3t\n"));
    assertArrayEquals(utf8("s3cr3t"), resolver.resolve(file(file)));
  }

  @Test
  void trimsOnlyOneTrailingNewlineAndACarriageReturnBeforeIt() throws Exception {
    Path twoNewlines = Files.write(dir.resolve("two"), utf8("s3cr3t\n\n"));
    Path crlf = Files.write(dir.resolve("crlf"), utf8(" s3cr3t \r\n"));
    assertArrayEquals(utf8("s3cr3t\n"), resolver.resolve(file(twoNewlines)));
    assertArrayEquals(utf8(" s3cr3t "), resolver.resolve(file(crlf)));
  }

  @Test
  void keepsBinaryFileContentAsItIs() throws Exception {
    byte[] binary = {0, (byte) 0xff, 10, 13, 7};
    Path file = Files.write(dir.resolve("binary"), binary);
    assertArrayEquals(binary, resolver.resolve(file(file)));
  }

  @Test
  void namesAFileThatCannotBeRead() {
    Path missing = dir.resolve("missing");
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve(file(missing)));
    assertEquals("secret file " + missing + " cannot be read: no such file", e.getMessage());
  }

  @Test
  void refusesAFileThatHoldsOnlyANewline() throws Exception {
    Path file = Files.write(dir.resolve("blank"), utf8("\n"));
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve(file(file)));
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
  }
}
