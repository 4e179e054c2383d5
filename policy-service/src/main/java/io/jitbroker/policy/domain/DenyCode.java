package io.jitbroker.policy.domain;

/**
 * Why a request was denied, as a machine-readable code. The names are exactly those of the Avro
 * enum {@code io.jitbroker.events.v1.DenyCode}, so the two map by name. A denial also carries
 * human reasons naming the rule, cap or environment; the code is for dashboards and clients.
 */
public enum DenyCode {
    /** The policy defines no environments (no policy loaded, or a deny-all one): everything is denied. */
    NO_POLICY,
    /** The request names an environment the policy does not define. */
    UNKNOWN_ENVIRONMENT,
    /** No allow rule grants any requested action; also a request that is not well formed (its reasons say "invalid request"). */
    NO_MATCHING_RULE,
    /** Allow rules granted something, but deny rules took all of it away. */
    DENIED_BY_RULE,
    /** The workload holds a grant in an environment the policy separates from the requested one. */
    ENVIRONMENT_SEPARATION,
    /** The workload is bound (by identity claim or binding rule) to another environment. */
    ENVIRONMENT_BINDING,
    /** More distinct resources asked for than caps.maxResourcesPerRequest. */
    TOO_MANY_RESOURCES,
    /** The workload already holds caps.maxActiveGrantsPerWorkload grants. */
    TOO_MANY_ACTIVE_GRANTS,
    /** The task already holds caps.maxGrantsPerTask grants. */
    TOO_MANY_TASK_GRANTS,
    /** The workload is marked compromised. */
    WORKLOAD_COMPROMISED,
    /** A break-glass request without justification, or that no break-glass rule covers. */
    BREAK_GLASS_NOT_ALLOWED,
    /** A human refused the approval a rule required (decided outside the engine). */
    APPROVAL_DENIED,
    /** Nobody approved in time (decided outside the engine). */
    EXPIRED
}
