package io.jitbroker.chaos.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos harness's network for real: namespaces, links, partitions and firewall rules, all removed after. */
class HostNetworkIT {

    private static final int PORT = 7001;
    /** Accepts connections on the address given, for as long as it runs. */
    private static final String LISTENER = """
            public class Listener {
                public static void main(String[] args) throws Exception {
                    try (var server = new java.net.ServerSocket(Integer.parseInt(args[1]), 50, java.net.InetAddress.getByName(args[0]))) {
                        System.out.println("listening");
                        while (true) {
                            server.accept().close();
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root (CI runs as root)");
        HostNetwork.removeAll();
    }

    @AfterEach
    void stopListeners() {
        processes.forEach(Process::destroyForcibly);
        HostNetwork.removeAll();
    }

    @Test
    void shouldJoinHostsToTheGatewayAndCutThemOffOnlyWhilePartitioned() throws Exception {
        // given
        try (HostNetwork network = HostNetwork.create()) {
            Host server = network.addHost("test-a");
            network.addHost("test-b");
            listenIn(server);
            assertTrue(server.address().startsWith("198.18.0."), server.address());
            assertTrue(reachable(server.address()), "a host answers from the gateway");

            // when
            network.partition(server);

            // then
            assertFalse(reachable(server.address()), "a partitioned host does not answer");

            // when
            network.heal(server);

            // then
            assertTrue(awaitReachable(server.address()), "a healed host answers again");
        }
        assertEquals(List.of(), HostNetwork.leftovers(), "closing removes every namespace and link");
    }

    @Test
    void shouldGiveEachHostAResolverThatAnswersAtOnceAndRemoveItWithTheHost() throws Exception {
        // given
        try (HostNetwork network = HostNetwork.create()) {
            Host host = network.addHost("test-dns");

            // when: what a process on the host reads as its resolver settings
            List<String> command = new ArrayList<>(host.exec());
            command.addAll(List.of("cat", "/etc/resolv.conf"));
            Process cat = new ProcessBuilder(command).redirectErrorStream(true).start();
            String resolvConf = new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            cat.waitFor();

            // then: only the host's own loopback, where nothing listens: a lookup is refused, not left to time out
            assertTrue(resolvConf.contains("nameserver 127.0.0.1"), resolvConf);
            assertFalse(resolvConf.lines().anyMatch(line -> line.startsWith("nameserver") && !line.contains("127.0.0.1")),
                    resolvConf);
        }
        assertEquals(List.of(), HostNetwork.leftovers(), "closing removes the host's resolver settings too");
    }

    @Test
    void shouldDropOnlyTheTrafficItIsToldTo() throws Exception {
        // given
        try (HostNetwork network = HostNetwork.create()) {
            Host server = network.addHost("test-a");
            listenIn(server);

            // when
            network.dropTraffic(server, List.of(HostNetwork.GATEWAY));

            // then
            assertFalse(reachable(server.address()), "packets from the gateway are dropped");

            // when
            network.allowTraffic(server, List.of(HostNetwork.GATEWAY));

            // then
            assertTrue(awaitReachable(server.address()));
        }
    }

    @Test
    void shouldRefuseToStartWhereAnEarlierRunLeftSomethingAndSayHowToClearIt() throws Exception {
        // given: what a killed run leaves
        HostNetwork.run("ip", "netns", "add", HostNetwork.PREFIX + "-leftover");

        // when
        IllegalStateException refused = assertThrows(IllegalStateException.class, HostNetwork::create);

        // then
        assertTrue(refused.getMessage().contains(HostNetwork.PREFIX + "-leftover"), refused.getMessage());
        assertTrue(refused.getMessage().contains("./jit-broker chaos --clean"), refused.getMessage());

        // when
        HostNetwork.removeAll();

        // then
        assertEquals(List.of(), HostNetwork.leftovers());
    }

    private void listenIn(Host host) throws IOException, InterruptedException {
        Path source = dir.resolve("Listener.java");
        Files.writeString(source, LISTENER);
        List<String> command = new ArrayList<>(host.exec());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), source.toString(),
                host.address(), Integer.toString(PORT)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        String first = new String(process.getInputStream().readNBytes("listening".length()), StandardCharsets.UTF_8);
        assertEquals("listening", first, "the listener started in the host's namespace");
        assertTrue(process.isAlive());
    }

    private static boolean reachable(String address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A link set up again takes a moment before it forwards. */
    private static boolean awaitReachable(String address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (reachable(address)) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return false;
    }
}
