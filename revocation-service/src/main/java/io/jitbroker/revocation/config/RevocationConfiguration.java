package io.jitbroker.revocation.config;

import io.jitbroker.revocation.topology.RevocationTopology;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The revoker's own settings ({@code revocation.*}; environment variables such as
 * {@code REVOCATION_RETENTION} override them).
 */
@ConfigurationProperties("revocation")
public record RevocationConfiguration(
        @Bindable(defaultValue = "100ms") Duration expirySweepInterval,
        @Bindable(defaultValue = "1m") Duration retentionSweepInterval,
        @Bindable(defaultValue = "24h") Duration retention,
        @Bindable(defaultValue = "10000") int maxEntriesPerSweep,
        @Bindable(defaultValue = "5s") Duration heartbeatGrace,
        @Bindable(defaultValue = "10s") Duration closeTimeout,
        @Bindable(defaultValue = "5000") int warmUpTasks) {

    public RevocationTopology.Settings toSettings() {
        return new RevocationTopology.Settings(expirySweepInterval, retentionSweepInterval, retention, maxEntriesPerSweep,
                heartbeatGrace);
    }
}
