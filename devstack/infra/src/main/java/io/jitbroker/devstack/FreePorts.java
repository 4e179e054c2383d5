package io.jitbroker.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Finds free loopback ports and checks that a wanted port is free. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Below Linux's ephemeral range (32768-60999): a port found free there can be taken as the local
     * port of an outgoing connection (a Kafka client's, say) before the server that wanted it binds.
     */
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    /** Never the same port twice in one JVM, even if the first one has not been bound yet. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    public static int find() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            if (HANDED_OUT.add(port) && isFree(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a clear error naming the port and what wanted it, instead of a bind failure deep in a server. */
    public static void requireFree(String host, int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException(what + " cannot bind " + host + ":" + port
                    + " (already in use?); choose another port", e);
        }
    }
}
