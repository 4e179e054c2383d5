package io.jitbroker.policy.metrics;

import io.jitbroker.policy.domain.LoadedBundle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * {@code jit.policy.bundle} (an info gauge, always 1, tagged with the bundle name and the version
 * this instance decides with: compare instances on a dashboard) and
 * {@code jit.policy.bundle.rejected} (records of the bundle that were not loaded, by reason
 * {@code invalid} or {@code undecodable}).
 */
@Singleton
public class BundleMetrics {

    private final MeterRegistry meters;
    private final Counter invalid;
    private final Counter undecodable;
    private Gauge loaded;

    public BundleMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.invalid = rejected(meters, "invalid");
        this.undecodable = rejected(meters, "undecodable");
    }

    private static Counter rejected(MeterRegistry meters, String reason) {
        return Counter.builder("jit.policy.bundle.rejected")
                .description("Records of this instance's policy bundle that were not loaded, by reason")
                .tag("reason", reason)
                .register(meters);
    }

    /** The gauge now names {@code bundle}: the version this instance decides with from now on. */
    public synchronized void loaded(LoadedBundle bundle) {
        if (loaded != null) {
            meters.remove(loaded);
        }
        loaded = Gauge.builder("jit.policy.bundle", () -> 1)
                .description("The policy bundle and version this instance decides with (always 1)")
                .tag("name", bundle.name())
                .tag("version", bundle.version())
                .register(meters);
    }

    public void invalid() {
        invalid.increment();
    }

    public void undecodable() {
        undecodable.increment();
    }
}
