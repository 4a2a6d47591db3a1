package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A mesh started with the default address answers on this machine's loopback only. */
@ExtendWith(KafkaFixture.class)
class LoopbackOnlyIT {

  @Test
  void aMeshListeningByDefaultCannotBeReachedOnTheMachinesNetworkAddress() throws Exception {
    Optional<InetAddress> network = networkAddress();
    assumeTrue(network.isPresent(), "this machine has no network address besides loopback");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          echo: { java: dev.fnmesh.examples.Echo }
        """)) {
      try (Socket local = new Socket()) {
        local.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), mesh.httpPort()), 5_000);
      }

      assertThrows(ConnectException.class, () -> {
        try (Socket remote = new Socket()) {
          remote.connect(new InetSocketAddress(network.get(), mesh.httpPort()), 5_000);
        }
      });
    }
  }

  private static Optional<InetAddress> networkAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(LoopbackOnlyIT::up)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .findFirst();
  }

  private static boolean up(NetworkInterface network) {
    try {
      return network.isUp() && !network.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
