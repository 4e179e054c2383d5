package io.jitbroker.micronaut.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fails closed: outside the dev profile ({@code MICRONAUT_ENVIRONMENTS=dev}, which the dev stack
 * sets) and Micronaut's test environment, a service whose {@link DeploymentSettings} are missing or
 * insecure refuses to start, naming every such setting. Created first, before the database pool or
 * a Kafka client, so the refusal is the first error an operator sees.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
@Requires(notEnv = {Environment.DEVELOPMENT, Environment.TEST})
public class DeploymentSettingsCheck {

    public DeploymentSettingsCheck(Environment environment) {
        Map<String, String> jwksUrls = new TreeMap<>();
        environment.getProperties(DeploymentSettings.JWKS_PREFIX).forEach((key, value) -> {
            if (key.endsWith(".url")) {
                jwksUrls.put(key, String.valueOf(value));
            }
        });
        List<String> problems = DeploymentSettings.problems(
                name -> environment.getProperty(name, String.class), jwksUrls);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Refusing to start: " + String.join("; ", problems)
                    + ". Only the dev profile (MICRONAUT_ENVIRONMENTS=dev) runs without these; see docs/OPERATIONS.md, \"Configuration\".");
        }
    }
}
