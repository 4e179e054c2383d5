package io.jitbroker.issuer.domain;

/** Names of the private claims our credentials carry besides the registered ones. */
public final class CredentialClaims {

    public static final String SCOPE = "scope";
    public static final String GRANT_ID = "grant_id";
    public static final String TASK_ID = "task_id";
    public static final String ENVIRONMENT = "env";

    private CredentialClaims() {
    }
}
