package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apicurio.registry.resolver.SchemaResolverConfig;
import io.apicurio.registry.serde.SerdeConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrySerdesTest {

    private final Map<String, Object> config = new RegistrySerdes("http://registry:8080/apis/registry/v2").registryConfig();

    @Test
    void shouldKeepLookedUpSchemasForEverBecauseContentIdsNeverChange() {
        // Apicurio's default of 30 s reloads every schema, and fails every record while the registry is down
        Duration lifetime = Duration.ofMillis((Long) config.get(SerdeConfig.CHECK_PERIOD_MS));
        assertTrue(lifetime.compareTo(Duration.ofDays(365)) > 0, "lifetime " + lifetime);
        assertEquals(true, config.get(SchemaResolverConfig.FAULT_TOLERANT_REFRESH));
        assertNotEquals(true, config.get(SerdeConfig.FIND_LATEST_ARTIFACT), "'latest' can change: never cached for ever");
    }

    @Test
    void shouldResolveSchemasThroughTheCachingResolver() {
        assertEquals(CachingSchemaResolver.class.getName(), config.get(SerdeConfig.SCHEMA_RESOLVER));
    }
}
