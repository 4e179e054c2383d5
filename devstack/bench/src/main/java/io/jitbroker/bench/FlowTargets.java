package io.jitbroker.bench;

/**
 * Where a flow's calls go, asked again for every attempt: the dev stack has one instance of each
 * service, a cluster several behind what a load balancer would do. Services are named REQUEST,
 * ISSUER, POLICY and IDP.
 */
@FunctionalInterface
public interface FlowTargets {

    /** The base URL (scheme, host, port) of an instance of {@code service} to send the next call to. */
    String url(String service);
}
