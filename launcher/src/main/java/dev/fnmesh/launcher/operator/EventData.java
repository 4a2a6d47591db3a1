package dev.fnmesh.launcher.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** An event's data as given on the command line: the text itself, {@code @file}, or {@code -} for stdin. */
final class EventData {

  private EventData() {}

  static byte[] read(String given, InputStream stdin) {
    try {
      if (given == null) {
        return new byte[0];
      }
      if (given.equals("-")) {
        return stdin.readAllBytes();
      }
      if (given.startsWith("@")) {
        return Files.readAllBytes(Path.of(given.substring(1)));
      }
      return given.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the data " + given + ": " + e.getMessage(), e);
    }
  }
}
