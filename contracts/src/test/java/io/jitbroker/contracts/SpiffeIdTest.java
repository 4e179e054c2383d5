package io.jitbroker.contracts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"spiffe://dev.local/ci/deployer", "spiffe://prod.example-org/ns/payments/sa/api_v2"})
    void shouldAcceptWhenIdIsAWorkloadSpiffeId(String id) {
        assertTrue(SpiffeId.isWorkloadId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deployer", "https://dev.local/ci", "spiffe://dev.local", "spiffe://dev.local/",
        "spiffe://Dev.Local/ci", "spiffe://dev.local/ci/../admin", "spiffe://dev.local/ci//x", "spiffe://dev.local/ci?x=1"})
    void shouldRejectWhenIdIsNotAWorkloadSpiffeId(String id) {
        assertFalse(SpiffeId.isWorkloadId(id));
    }
}
