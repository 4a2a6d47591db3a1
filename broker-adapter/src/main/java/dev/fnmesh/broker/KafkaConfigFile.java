package dev.fnmesh.broker;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A Kafka client properties file, as every Kafka tool reads one ({@code --command-config}, {@code client.properties}):
 * its entries override fnmesh's client defaults, so a cluster that needs TLS or SASL is reached the way any
 * Kafka client reaches it.
 *
 * @param bootstrapServers the file's {@code bootstrap.servers}, when it has one
 * @param overrides every other entry, for {@link KafkaSettings#overrides()}
 */
public record KafkaConfigFile(Optional<String> bootstrapServers, Map<String, String> overrides) {

  public KafkaConfigFile {
    overrides = Map.copyOf(overrides);
  }

  /**
   * @throws IllegalArgumentException when the file cannot be read, or sets one of {@link KafkaSettings#PROTECTED},
   *     naming the key
   */
  public static KafkaConfigFile read(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the Kafka config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> overrides = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> overrides.put(key, properties.getProperty(key).strip()));
    Optional<String> bootstrap = Optional.ofNullable(overrides.remove("bootstrap.servers")).filter(s -> !s.isBlank());
    try {
      // Checked here, with the file named, rather than when the first client is made.
      new KafkaSettings("checked", overrides);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return new KafkaConfigFile(bootstrap, overrides);
  }
}
