package io.jitbroker.issuer.domain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the ES256 JWT access token of a grant: bound to the grant's workload (sub), addressed to the
 * granted resources (aud), limited to the granted actions (scope) and to the grant's lifetime (exp).
 */
public final class CredentialMinter {

    /** RFC 9068: marks the token as an access token so it cannot be mistaken for an identity token. */
    public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final String issuer;

    public CredentialMinter(SigningKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    public MintedCredential mint(Grant grant, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(grant.workloadId())
                .audience(grant.audiences())
                .claim(CredentialClaims.SCOPE, Scope.of(grant.resources()))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(grant.expiresAt()))
                .jwtID(grant.credentialId().toString())
                .claim(CredentialClaims.GRANT_ID, grant.grantId().toString())
                .claim(CredentialClaims.TASK_ID, grant.taskId())
                .claim(CredentialClaims.ENVIRONMENT, grant.environment())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKeys.ALGORITHM)
                .keyID(keys.activeKeyId())
                .type(ACCESS_TOKEN_TYPE)
                .build(), claims);
        try {
            jwt.sign(keys.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the credential of grant " + grant.grantId(), e);
        }
        return new MintedCredential(jwt.serialize(), Grant.JWT, grant.expiresAt());
    }
}
