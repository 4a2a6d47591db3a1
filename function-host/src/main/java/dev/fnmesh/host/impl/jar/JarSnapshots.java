package dev.fnmesh.host.impl.jar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Private copies of function jars in a temporary directory. A class loader reads its jar lazily for as long
 * as it lives, so it must read a file nobody replaces: a jar overwritten in place under an open loader
 * would make its later class loads fail or read the new version.
 */
public final class JarSnapshots {

  private static final Logger LOG = LoggerFactory.getLogger(JarSnapshots.class);

  // Created on the first copy, so a host without jar functions leaves no directory behind.
  private Path directory;

  /** A copy of a jar and the SHA-256 of its content, in lower-case hex. */
  public record Snapshot(Path file, String sha256) {}

  /** @return the SHA-256 of the file's content, in lower-case hex */
  public static String sha256(Path file) throws IOException {
    try (DigestInputStream in = digesting(Files.newInputStream(file))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }
  }

  /**
   * Copies the jar and checks that the copy is a readable jar.
   *
   * @throws java.util.zip.ZipException when the file is no jar
   * @throws IOException when it cannot be read or copied
   */
  public synchronized Snapshot copy(Path jar) throws IOException {
    if (directory == null) {
      directory = Files.createTempDirectory("fnmesh-jars-");
      // A host that exits without delete() still removes its copies; files registered later go first.
      directory.toFile().deleteOnExit();
    }
    String fileName = jar.getFileName().toString();
    Path copy = Files.createTempFile(directory, fileName.substring(0, fileName.length() - ".jar".length()) + "-",
        ".jar");
    copy.toFile().deleteOnExit();
    try {
      String sha256;
      try (DigestInputStream in = digesting(Files.newInputStream(jar));
           OutputStream out = Files.newOutputStream(copy)) {
        in.transferTo(out);
        sha256 = HexFormat.of().formatHex(in.getMessageDigest().digest());
      }
      new JarFile(copy.toFile()).close();
      return new Snapshot(copy, sha256);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
  }

  /** Deletes every copy; call it once the class loaders reading them are closed. */
  public synchronized void delete() {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      LOG.warn("jar copies not deleted directory={} error=\"{}\"", directory, e.toString());
    }
    directory = null;
  }

  private static DigestInputStream digesting(InputStream in) {
    try {
      return new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
      throw new IllegalStateException(e);
    }
  }
}
