package io.jitbroker.issuer.domain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Mints the ES256 JWT access token of a grant: bound to the grant's workload (sub), addressed to the
 * granted resources (aud), limited to the granted actions (scope) and to the grant's lifetime (exp),
 * and, when the workload proved a DPoP key, to that key ({@code cnf.jkt}): only its holder can use it.
 */
public final class CredentialMinter {

    /** RFC 9068: marks the token as an access token so it cannot be mistaken for an identity token. */
    public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final String issuer;
    private final VerifiedCredentials signedHere;

    /**
     * @param signedHere where every minted token is remembered as authentic until it expires, so that
     *                   introspecting it here needs no signature verification
     */
    public CredentialMinter(SigningKeys keys, String issuer, VerifiedCredentials signedHere) {
        this.keys = keys;
        this.issuer = issuer;
        this.signedHere = signedHere;
    }

    public String issuer() {
        return issuer;
    }

    /**
     * @param boundJkt the thumbprint of the DPoP key to bind the token to; null for a bearer token
     */
    public MintedCredential mint(Grant grant, Instant now, String boundJkt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
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
                .claim(CredentialClaims.ENVIRONMENT, grant.environment());
        if (boundJkt != null) {
            claims.claim(CredentialClaims.CONFIRMATION, Map.of(CredentialClaims.JWK_THUMBPRINT, boundJkt));
        }
        // The expiry is recorded on the key before it signs, so the key outlives the token.
        SigningKeys.Signing signing = keys.signerFor(grant.expiresAt());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKeys.ALGORITHM)
                .keyID(signing.kid())
                .type(ACCESS_TOKEN_TYPE)
                .build(), claims.build());
        try {
            jwt.sign(signing.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the credential of grant " + grant.grantId(), e);
        }
        String token = jwt.serialize();
        signedHere.verified(token, grant.expiresAt(), now);
        return new MintedCredential(token, Grant.JWT,
                boundJkt == null ? MintedCredential.BEARER : MintedCredential.DPOP, grant.expiresAt());
    }
}
