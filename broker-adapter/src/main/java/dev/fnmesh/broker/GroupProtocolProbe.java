package dev.fnmesh.broker;

import dev.fnmesh.broker.KafkaSettings.GroupProtocol;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Asks the cluster which consumer group protocol its brokers offer: Kafka 4's consumer protocol (KIP-848)
 * when the {@code group.version} feature is finalized at level 1 or above, the classic one otherwise.
 */
public final class GroupProtocolProbe {

  private static final Logger LOG = LoggerFactory.getLogger(GroupProtocolProbe.class);
  static final String GROUP_VERSION_FEATURE = "group.version";

  private GroupProtocolProbe() {}

  /**
   * The settings with the protocol the cluster offers. Blocks up to {@code timeout}; a cluster that does
   * not answer in time keeps the protocol the settings have, and clients will report the cluster down.
   *
   * @throws IllegalStateException when the cluster refuses the client's credentials or TLS handshake: no
   *     client could ever work, so the start fails with Kafka's reason instead of retrying for ever
   */
  public static KafkaSettings probe(KafkaSettings settings, Duration timeout) {
    try (Admin admin = Admin.create(settings.adminConfig("fnmesh-probe"))) {
      FeatureMetadata features = admin.describeFeatures().featureMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Optional<Short> level = Optional.ofNullable(features.finalizedFeatures().get(GROUP_VERSION_FEATURE))
          .map(FinalizedVersionRange::maxVersionLevel);
      GroupProtocol protocol = protocolFor(level);
      LOG.info("consumer group protocol={} groupVersion={}", protocol, level.map(String::valueOf).orElse("none"));
      return settings.withGroupProtocol(protocol);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return settings;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " refused fnmesh's client: "
            + refused.getMessage().replace('\n', ' '), refused);
      }
      LOG.warn("consumer group protocol not probed, using {} cause={}", settings.groupProtocol(), e.getCause().toString());
      return settings;
    } catch (Exception e) {
      LOG.warn("consumer group protocol not probed, using {} cause={}", settings.groupProtocol(), e.toString());
      return settings;
    }
  }

  /** The protocol for the cluster's finalized {@code group.version}, empty when it has none. */
  static GroupProtocol protocolFor(Optional<Short> groupVersion) {
    return groupVersion.filter(level -> level >= 1).isPresent() ? GroupProtocol.CONSUMER : GroupProtocol.CLASSIC;
  }
}
