package io.jitbroker.request.domain;

/**
 * What a detector or an SRE may report about a workload (the ContextEvent's type). WORKLOAD_CLEARED
 * lifts an earlier compromise for future decisions: only an SRE may report it.
 */
public enum ContextEventKind {
    WORKLOAD_COMPROMISED, IDENTITY_DISABLED, ENVIRONMENT_CHANGED, RISK_RAISED, WORKLOAD_CLEARED
}
