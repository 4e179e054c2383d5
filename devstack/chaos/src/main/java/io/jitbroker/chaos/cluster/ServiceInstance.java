package io.jitbroker.chaos.cluster;

import io.jitbroker.chaos.net.Host;
import io.jitbroker.devstack.launcher.DevStack;
import io.jitbroker.devstack.launcher.ServiceProcess;
import io.jitbroker.devstack.launcher.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** One instance of a service on its own host; it can be killed, paused, resumed and started again. */
public final class ServiceInstance {

    private final ServiceSpec spec;
    private final int number;
    private final Host host;
    private final Path repositoryRoot;
    private final Map<String, String> environment;
    private final Path logFile;
    private ServiceProcess process;

    ServiceInstance(ServiceSpec spec, int number, Host host, Path repositoryRoot, Map<String, String> environment, Path logFile) {
        this.spec = spec;
        this.number = number;
        this.host = host;
        this.repositoryRoot = repositoryRoot;
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    public synchronized void start() {
        process = ServiceProcess.start(spec, repositoryRoot, environment, logFile, DevStack.serviceJvmOptions(spec.name()),
                host.exec());
    }

    public void awaitHealthy(Duration timeout) {
        process().awaitHealthy(host.address(), timeout);
    }

    public String service() {
        return spec.name();
    }

    public String name() {
        return spec.name() + "-" + number;
    }

    public Host host() {
        return host;
    }

    public String url() {
        return spec.url(host.address());
    }

    public synchronized boolean alive() {
        return process != null && process.process().isAlive();
    }

    public synchronized void kill() {
        process.process().destroyForcibly();
        Broker.waitFor(process.process());
    }

    public synchronized void pause() {
        Signals.send(process.process().pid(), "STOP");
    }

    public synchronized void resume() {
        Signals.send(process.process().pid(), "CONT");
    }

    public synchronized void stop() {
        if (alive()) {
            resume();
            process.close();
        }
    }

    private synchronized ServiceProcess process() {
        return process;
    }

    @Override
    public String toString() {
        return name() + " (" + host.address() + ")";
    }
}
