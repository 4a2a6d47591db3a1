package dev.fnmesh.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for brokers to listen on. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    static int free() {
        // The port is free now; another process could take it before the broker binds, which a retry of
        // start() solves. Kafka needs the number up front because it is part of the advertised listener.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for kafka", e);
        }
    }
}
