package io.jitbroker.issuer.domain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.issuer.domain.Introspection.InactiveReason;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether a credential is live: signed by one of our keys, issued by us, inside its lifetime,
 * and its grant exists, is the grant it names and is not revoked. Anything else is inactive: the
 * revoked grants in the store are the deny-list.
 */
public final class Introspector {

    private final SigningKeys keys;
    private final String issuer;
    private final GrantStore store;
    private final Clock clock;

    public Introspector(SigningKeys keys, String issuer, GrantStore store, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.store = store;
        this.clock = clock;
    }

    public Introspection introspect(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Introspection.inactive(InactiveReason.MALFORMED);
        }
        if (!SigningKeys.ALGORITHM.equals(jwt.getHeader().getAlgorithm())) {
            return Introspection.inactive(InactiveReason.UNSUPPORTED_ALGORITHM);
        }
        Optional<JWSVerifier> verifier = keys.verifierFor(jwt.getHeader().getKeyID());
        if (verifier.isEmpty()) {
            return Introspection.inactive(InactiveReason.UNKNOWN_KEY);
        }
        if (!verifies(jwt, verifier.get())) {
            return Introspection.inactive(InactiveReason.BAD_SIGNATURE);
        }
        if (!issuer.equals(claims.getIssuer())) {
            return Introspection.inactive(InactiveReason.WRONG_ISSUER);
        }
        Instant now = clock.instant();
        Date expiration = claims.getExpirationTime();
        if (expiration == null || !now.isBefore(expiration.toInstant())) {
            return Introspection.inactive(InactiveReason.EXPIRED);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant())) {
            return Introspection.inactive(InactiveReason.NOT_YET_VALID);
        }
        Optional<Grant> grant = grantId(claims).flatMap(store::findById);
        if (grant.isEmpty()) {
            return Introspection.inactive(InactiveReason.UNKNOWN_GRANT);
        }
        if (grant.get().isRevoked()) {
            return Introspection.inactive(InactiveReason.REVOKED);
        }
        if (!grant.get().credentialId().toString().equals(claims.getJWTID())) {
            return Introspection.inactive(InactiveReason.UNKNOWN_CREDENTIAL);
        }
        if (grant.get().isExpiredAt(now)) {
            return Introspection.inactive(InactiveReason.EXPIRED);
        }
        return Introspection.active(new Introspection.Claims(claims.getIssuer(), claims.getSubject(),
                stringClaim(claims, CredentialClaims.SCOPE), claims.getAudience(), expiration.toInstant(),
                claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant(), claims.getJWTID(),
                grant.get().grantId().toString(), stringClaim(claims, CredentialClaims.TASK_ID),
                stringClaim(claims, CredentialClaims.ENVIRONMENT)));
    }

    private static boolean verifies(SignedJWT jwt, JWSVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }

    private static Optional<UUID> grantId(JWTClaimsSet claims) {
        try {
            String value = claims.getStringClaim(CredentialClaims.GRANT_ID);
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value));
        } catch (ParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
