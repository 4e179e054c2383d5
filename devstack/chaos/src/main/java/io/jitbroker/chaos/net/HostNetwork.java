package io.jitbroker.chaos.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's network on this machine: one Linux bridge in the root namespace and one network
 * namespace per host, joined to the bridge by a veth pair. Addresses are only ever in
 * 198.18.0.0/24 (inside 198.18.0.0/15, the range reserved for network benchmark tests). The root
 * namespace (this harness, the registry, PostgreSQL and the identity provider) is {@link #GATEWAY}.
 * A partition sets a host's link down: nothing reaches it, it reaches nothing. Everything made here
 * carries the {@link #PREFIX} prefix, so leftovers of a run that was killed are found and removed.
 * Needs root (CAP_NET_ADMIN).
 *
 * <p>A host resolves no names through DNS: {@code ip netns exec} mounts
 * {@code /etc/netns/<namespace>/resolv.conf} over the host's own, and that file names no reachable
 * server. Without it every reverse lookup (Kafka's SASL handshake makes one per connection) waited
 * 10 s for this machine's name server, which a host cannot reach, and the nodes never formed a cluster.
 */
public final class HostNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostNetwork.class);
    public static final String PREFIX = "jitchaos";
    private static final String BRIDGE = PREFIX + "0";
    private static final String SUBNET_PREFIX = "198.18.0.";
    private static final int PREFIX_LENGTH = 24;
    public static final String GATEWAY = SUBNET_PREFIX + "1";
    /** Where {@code ip netns exec} finds files to mount over /etc for a namespace. */
    private static final Path NETNS_ETC = Path.of("/etc/netns");
    /** The first address handed to a host; .1 is the bridge. */
    private static final int FIRST_HOST = 10;

    private final List<Host> hosts = new ArrayList<>();

    private HostNetwork() {
    }

    /** Creates the bridge; refuses if a previous run's leftovers are still there. */
    public static HostNetwork create() {
        List<String> leftovers = leftovers();
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("a previous chaos run left " + String.join(", ", leftovers)
                    + " behind; remove them with: ./jit-broker chaos --clean");
        }
        HostNetwork network = new HostNetwork();
        try {
            run("ip", "link", "add", BRIDGE, "type", "bridge");
            run("ip", "addr", "add", GATEWAY + "/" + PREFIX_LENGTH, "dev", BRIDGE);
            run("ip", "link", "set", BRIDGE, "up");
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** A new host on the bridge, with loopback up and a default route through the gateway. */
    public synchronized Host addHost(String name) {
        int index = FIRST_HOST + hosts.size();
        Host host = new Host(name, PREFIX + "-" + name, SUBNET_PREFIX + index, PREFIX + "-l" + index);
        String inner = PREFIX + "-i" + index;
        run("ip", "netns", "add", host.namespace());
        hosts.add(host);
        writeResolvConf(host.namespace());
        run("ip", "link", "add", host.link(), "type", "veth", "peer", "name", inner);
        run("ip", "link", "set", inner, "netns", host.namespace());
        run("ip", "link", "set", host.link(), "master", BRIDGE);
        run("ip", "link", "set", host.link(), "up");
        inside(host, "ip", "link", "set", "lo", "up");
        inside(host, "ip", "link", "set", inner, "name", "eth0");
        inside(host, "ip", "addr", "add", host.address() + "/" + PREFIX_LENGTH, "dev", "eth0");
        inside(host, "ip", "link", "set", "eth0", "up");
        inside(host, "ip", "route", "add", "default", "via", GATEWAY);
        return host;
    }

    /** Lookups fail at once: nothing listens on the host's own port 53. */
    private static void writeResolvConf(String namespace) {
        try {
            Path dir = Files.createDirectories(NETNS_ETC.resolve(namespace));
            Files.writeString(dir.resolve("resolv.conf"), "# jit-broker chaos host " + namespace
                    + ": no DNS (removed with the namespace)\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the resolver settings of " + namespace, e);
        }
    }

    /** Cuts the host off: its link goes down, connections in flight hang until their timeouts. */
    public void partition(Host host) {
        run("ip", "link", "set", host.link(), "down");
    }

    public void heal(Host host) {
        run("ip", "link", "set", host.link(), "up");
    }

    /** Drops the host's packets to and from {@code addresses} (iptables in its namespace), other traffic flows. */
    public void dropTraffic(Host host, List<String> addresses) {
        dropRules(host, addresses, "-A");
    }

    public void allowTraffic(Host host, List<String> addresses) {
        dropRules(host, addresses, "-D");
    }

    /** Appends ({@code -A}) or deletes ({@code -D}) the rules dropping traffic to and from each address. */
    private static void dropRules(Host host, List<String> addresses, String action) {
        for (String address : addresses) {
            inside(host, "iptables", action, "OUTPUT", "-d", address, "-j", "DROP");
            inside(host, "iptables", action, "INPUT", "-s", address, "-j", "DROP");
        }
    }

    /** What a previous run left: namespaces and links with the prefix. */
    public static List<String> leftovers() {
        List<String> found = new ArrayList<>();
        namespaces().forEach(name -> found.add("namespace " + name));
        links().forEach(name -> found.add("link " + name));
        resolverDirectories().forEach(dir -> found.add("directory " + dir));
        return found;
    }

    /**
     * Removes every namespace and link with the prefix, this run's or an earlier one's, after killing
     * whatever still runs in those namespaces.
     */
    public static void removeAll() {
        for (String name : namespaces()) {
            String pids = output("ip", "netns", "pids", name).trim();
            for (String pid : pids.isEmpty() ? new String[0] : pids.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            runQuietly("ip", "netns", "delete", name);
        }
        for (String name : links()) {
            runQuietly("ip", "link", "delete", name);
        }
        for (Path dir : resolverDirectories()) {
            try {
                Files.deleteIfExists(dir.resolve("resolv.conf"));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", dir, e.toString());
            }
        }
    }

    /** The namespaces' /etc/netns directories with the prefix. */
    private static List<Path> resolverDirectories() {
        if (!Files.isDirectory(NETNS_ETC)) {
            return List.of();
        }
        try (var entries = Files.list(NETNS_ETC)) {
            return entries.filter(dir -> dir.getFileName().toString().startsWith(PREFIX)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + NETNS_ETC, e);
        }
    }

    /** The network namespaces with the prefix ({@code ip netns list}: a name, then maybe its id). */
    private static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : output("ip", "netns", "list").split("\n")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The links with the prefix in the root namespace ({@code ip -o link show}: "index: name[@peer]: ..."). */
    private static List<String> links() {
        List<String> names = new ArrayList<>();
        for (String line : output("ip", "-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1 && fields[1].split("@")[0].startsWith(PREFIX)) {
                names.add(fields[1].split("@")[0]);
            }
        }
        return names;
    }

    @Override
    public void close() {
        removeAll();
        List<String> left = leftovers();
        if (!left.isEmpty()) {
            LOG.warn("could not remove {}; run ./jit-broker chaos --clean", left);
        }
    }

    private static void inside(Host host, String... command) {
        List<String> full = new ArrayList<>(host.exec());
        full.addAll(Arrays.asList(command));
        run(full.toArray(String[]::new));
    }

    static void run(String... command) {
        Result result = execute(command);
        if (result.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.code + "): " + result.output.trim()
                    + (result.output.contains("Operation not permitted") ? " (the chaos harness needs root)" : ""));
        }
    }

    private static void runQuietly(String... command) {
        Result result = execute(command);
        if (result.code != 0) {
            LOG.debug("{} failed: {}", String.join(" ", command), result.output.trim());
        }
    }

    private static String output(String... command) {
        Result result = execute(command);
        return result.code == 0 ? result.output : "";
    }

    private record Result(int code, String output) {
    }

    private static Result execute(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
