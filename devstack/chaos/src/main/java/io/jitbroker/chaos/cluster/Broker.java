package io.jitbroker.chaos.cluster;

import io.jitbroker.chaos.net.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One Kafka node of the cluster on its own host: started, killed and started again on the same data. */
public final class Broker {

    private final int nodeId;
    private final Host host;
    private final List<String> command;
    private final Path logFile;
    private final String secret;
    private Process process;

    /**
     * @param classpath this module's runtime classpath (the broker node runs from it)
     * @param secret    the nodes' shared secret on their internal listeners (in the node's environment)
     */
    Broker(int nodeId, Host host, String voters, String clusterId, Path dataDir, Path logFile, String classpath,
           String secret) {
        this.nodeId = nodeId;
        this.host = host;
        this.logFile = logFile;
        this.secret = secret;
        List<String> command = new ArrayList<>(host.exec());
        command.addAll(List.of(javaBinary(), "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, BrokerNode.class.getName(),
                Integer.toString(nodeId), host.address(), voters, clusterId, dataDir.toString()));
        this.command = List.copyOf(command);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public synchronized void start() {
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().put(BrokerNode.SECRET_VARIABLE, secret);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start broker " + nodeId, e);
        }
    }

    public int nodeId() {
        return nodeId;
    }

    public Host host() {
        return host;
    }

    public String bootstrap() {
        return host.address() + ":" + BrokerNode.CLIENT_PORT;
    }

    /** The node's internal listener, where the nodes (and the harness, setting up users and ACLs) log in as the broker. */
    String internalListener() {
        return host.address() + ":" + BrokerNode.BROKER_PORT;
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized void kill() {
        process.destroyForcibly();
        waitFor(process);
    }

    /** SIGTERM, then SIGKILL if it has not stopped in 30 s. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void waitFor(Process process) {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "broker-" + nodeId + " (" + host.address() + ")";
    }
}
