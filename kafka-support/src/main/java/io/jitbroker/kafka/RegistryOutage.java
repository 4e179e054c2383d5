package io.jitbroker.kafka;

import io.apicurio.registry.rest.client.exception.RestClientException;

/**
 * Tells a record that could not be decoded because the schema registry did not answer (unreachable,
 * timing out, or failing with a 5xx) from one that cannot be decoded at all (not our wire format, an
 * id the registry does not know). The first must be read again once the registry is back: dead-lettering
 * it would skip a revocation for as long as the registry was down. The second goes to the dead-letter
 * topic at once, as every undecodable record does.
 */
public final class RegistryOutage {

    private static final int TOO_MANY_REQUESTS = 429;
    private static final int SERVER_ERROR = 500;

    private RegistryOutage() {
    }

    /** True when {@code failure}, or any of its causes, is the registry not answering. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RestClientException registry) {
                return notAnswered(registry);
            }
        }
        return false;
    }

    /** Apicurio's client reports a registry it could not reach as an error without an HTTP status. */
    private static boolean notAnswered(RestClientException registry) {
        Integer status = registry.getError() == null ? null : registry.getError().getErrorCode();
        return status == null || status == 0 || status == TOO_MANY_REQUESTS || status >= SERVER_ERROR;
    }
}
