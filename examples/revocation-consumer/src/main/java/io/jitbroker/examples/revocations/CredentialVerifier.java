package io.jitbroker.examples.revocations;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Set;

/**
 * Checks a jit-broker credential the way docs/CREDENTIALS.md describes it: an ES256 JWT of type
 * {@code at+jwt}, signed by a key of the issuer's JWKS (fetched and cached, refreshed on an unknown
 * key id, so rotation needs nothing here), from the expected issuer, for this resource
 * ({@code aud}), not expired, naming its grant ({@code grant_id}). A DPoP-bound credential
 * ({@code cnf}) is refused: this example does not check DPoP proofs, and a bound token must never
 * be accepted without one.
 */
public final class CredentialVerifier {

    /** What a verified credential says. */
    public record Credential(String grantId, String workloadId, String scope, Instant expiresAt) {
    }

    /** Why a credential is refused (the message goes into the 401). */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    static final String GRANT_ID = "grant_id";
    static final String CONFIRMATION = "cnf";

    private final ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param issuer   the issuer-service's public URL, the {@code iss} of every credential ({@code JIT_ISSUER_URL})
     * @param jwksUrl  its JWKS, {@code <issuer>/.well-known/jwks.json}
     * @param resource this resource server's id, which must be among the credential's audiences
     */
    public CredentialVerifier(String issuer, String jwksUrl, String resource) throws MalformedURLException {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(resource,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "jti", GRANT_ID)));
    }

    public Credential verify(String token) throws Refused {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException e) {
            throw new Refused("invalid credential: " + e.getMessage());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new Refused("credential not verifiable now: " + e.getMessage());
        }
        if (claims.getClaim(CONFIRMATION) != null) {
            throw new Refused("DPoP-bound credential: this resource server accepts bearer credentials only");
        }
        try {
            return new Credential(claims.getStringClaim(GRANT_ID), claims.getSubject(), claims.getStringClaim("scope"),
                    claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw new Refused("invalid credential: " + e.getMessage());
        }
    }
}
