package io.jitbroker.jitctl;

import io.jitbroker.client.Resource;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** What an access request asks for: the options {@code run} and {@code policy explain} share. */
final class AccessOptions {

    @Option(names = "--env", required = true, paramLabel = "ENVIRONMENT", description = "e.g. staging")
    String environment;

    @Option(names = "--resource", required = true, paramLabel = "TYPE:ID:ACTIONS", converter = ResourceConverter.class,
            description = "what to access, e.g. http:inventory-api:read,write or postgres:orders-db/public.orders:SELECT; repeatable")
    List<Resource> resources;

    @Option(names = "--ttl", defaultValue = "10m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long the access may last at most, in whole seconds (default ${DEFAULT-VALUE}; policy may give less)")
    Duration ttl;

    @Option(names = "--justification", paramLabel = "TEXT",
            description = "why (run's default: jitctl run and the command's name)")
    String justification;
}
