package io.jitbroker.chaos.net;

/**
 * One host of the cluster: a network namespace with one link to the cluster's bridge.
 *
 * @param name      what runs there, e.g. broker-1 or issuer-service-2
 * @param namespace the network namespace (ip netns)
 * @param address   its address, in 198.18.0.0/24
 * @param link      the bridge side of its veth pair: set down, the host is cut off from everyone
 */
public record Host(String name, String namespace, String address, String link) {

    /** The prefix of a command that runs inside this host's namespace. */
    public java.util.List<String> exec() {
        return java.util.List.of("ip", "netns", "exec", namespace);
    }
}
