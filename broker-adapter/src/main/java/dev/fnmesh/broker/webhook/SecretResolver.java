package dev.fnmesh.broker.webhook;

import dev.fnmesh.mesh.SecretRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads webhook secrets from the environment or from files, once, when the mesh is loaded: file reads
 * block, so this never runs on an event loop.
 */
public final class SecretResolver {

  private final Function<String, String> environment;

  /** @param environment looks up an environment variable, null when it is not set */
  public SecretResolver(Function<String, String> environment) {
    this.environment = environment;
  }

  /** A resolver that reads this process's environment. */
  public static SecretResolver system() {
    return new SecretResolver(System::getenv);
  }

  /**
   * Reads the secret a webhook names: an environment variable's value, UTF-8 encoded, or a file's bytes
   * without one trailing newline.
   *
   * @return the secret's bytes, never empty
   * @throws IllegalArgumentException naming the variable or file when it is not set, cannot be read or
   *     is empty
   */
  public byte[] resolve(SecretRef ref) {
    if (ref.env().isPresent()) {
      String name = ref.env().get();
      String value = environment.apply(name);
      if (value == null) {
        throw new IllegalArgumentException("environment variable " + name + " is not set");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("environment variable " + name + " is empty; a secret must not be");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }
    Path file = Path.of(ref.file().orElseThrow());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException("secret file " + file + " cannot be read: " + describe(e), e);
    }
    byte[] secret = withoutTrailingNewline(bytes);
    if (secret.length == 0) {
      throw new IllegalArgumentException("secret file " + file + " is empty; a secret must not be");
    }
    return secret;
  }

  // `echo secret > file` and most editors end the file with a newline that is not part of the secret.
  private static byte[] withoutTrailingNewline(byte[] bytes) {
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    return Arrays.copyOf(bytes, end);
  }

  // NoSuchFileException's message is only the path; say what it means.
  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
