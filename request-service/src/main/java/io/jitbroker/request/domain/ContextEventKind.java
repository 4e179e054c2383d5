package io.jitbroker.request.domain;

/** What a detector or an SRE may report about a workload (the ContextEvent's type). */
public enum ContextEventKind {
    WORKLOAD_COMPROMISED, IDENTITY_DISABLED, ENVIRONMENT_CHANGED, RISK_RAISED
}
