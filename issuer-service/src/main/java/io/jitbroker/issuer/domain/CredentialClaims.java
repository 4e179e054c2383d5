package io.jitbroker.issuer.domain;

/** Names of the private claims our credentials carry besides the registered ones. */
public final class CredentialClaims {

    public static final String SCOPE = "scope";
    public static final String GRANT_ID = "grant_id";
    public static final String TASK_ID = "task_id";
    public static final String ENVIRONMENT = "env";
    /** RFC 7800 confirmation: {@code {"jkt": <thumbprint>}} on a DPoP-bound credential (RFC 9449, section 6.1). */
    public static final String CONFIRMATION = "cnf";
    public static final String JWK_THUMBPRINT = "jkt";

    private CredentialClaims() {
    }
}
