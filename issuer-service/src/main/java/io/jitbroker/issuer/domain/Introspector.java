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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether a credential is live: signed by one of our published keys, issued by us, inside its
 * lifetime, and its grant exists, is the grant it names and is not revoked. Anything else is inactive:
 * the revoked grants in the store are the deny-list.
 *
 * <p>A DPoP-bound credential ({@code cnf.jkt}) is live only together with a valid proof by its key for
 * the request the resource server received, which the resource server forwards: without one, the token
 * may be a captured copy, so the answer is inactive. This is stricter than RFC 9449, section 6.2 (where
 * the resource server checks the proof against the {@code cnf} it is told): a resource server that
 * ignores {@code cnf} cannot accept a replayed token by mistake. The active answer still carries
 * {@code cnf} and {@code token_type: DPoP}.
 *
 * <p>"Not revoked" is only as good as the deny-list is current: a credential that passes every other
 * check is active only while the revocations of its grant's partition were confirmed applied within the
 * bound ({@link RevocationFreshness}); otherwise the answer is {@link InactiveReason#REVOCATION_STATE_UNKNOWN},
 * never active. A credential known revoked, expired or otherwise inactive is answered as such whatever
 * the freshness. The check comes before the DPoP proof is verified, so a refused answer does not use
 * up the single-use proof the resource server will send again.
 */
public final class Introspector {

    private final SigningKeys keys;
    private final String issuer;
    private final GrantStore store;
    private final DpopVerifier dpop;
    private final RevocationFreshness freshness;
    private final Clock clock;
    private final VerifiedCredentials verified;

    /** @param verified the credentials known authentic, shared with this instance's {@link CredentialMinter} */
    public Introspector(SigningKeys keys, String issuer, GrantStore store, DpopVerifier dpop,
                        RevocationFreshness freshness, Clock clock, VerifiedCredentials verified) {
        this.keys = keys;
        this.issuer = issuer;
        this.store = store;
        this.dpop = dpop;
        this.freshness = freshness;
        this.clock = clock;
        this.verified = verified;
    }

    /**
     * @param proof the DPoP proof the resource server received with the token, and that request's
     *              method and URI; null when it received none
     */
    public Introspection introspect(String token, DpopPresentation proof) {
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
        Instant now = clock.instant();
        Date expiration = claims.getExpirationTime();
        if (!verified.verifiedBefore(token, now)) {
            if (!verifies(jwt, verifier.get())) {
                return Introspection.inactive(InactiveReason.BAD_SIGNATURE);
            }
            if (expiration != null) {
                verified.verified(token, expiration.toInstant(), now);
            }
        }
        if (!issuer.equals(claims.getIssuer())) {
            return Introspection.inactive(InactiveReason.WRONG_ISSUER);
        }
        if (expiration == null || !now.isBefore(expiration.toInstant())) {
            return Introspection.inactive(InactiveReason.EXPIRED);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant())) {
            return Introspection.inactive(InactiveReason.NOT_YET_VALID);
        }
        Optional<UUID> grantId = grantId(claims);
        // Judged before the grant is read: every revocation a fresh watermark covers was applied before the read.
        Optional<RevocationStateUnknown> unknown = grantId.flatMap(freshness::unknown);
        Optional<Grant> grant = grantId.flatMap(store::findById);
        if (grant.isEmpty()) {
            return Introspection.inactive(InactiveReason.UNKNOWN_GRANT);
        }
        if (grant.get().isRevoked()) {
            return Introspection.inactive(InactiveReason.REVOKED);
        }
        if (grant.get().isPostgres()) {
            // Its credential is a database login; no token of ours can stand for it.
            return Introspection.inactive(InactiveReason.UNKNOWN_CREDENTIAL);
        }
        if (!grant.get().credentialId().toString().equals(claims.getJWTID())) {
            return Introspection.inactive(InactiveReason.UNKNOWN_CREDENTIAL);
        }
        if (grant.get().isExpiredAt(now)) {
            return Introspection.inactive(InactiveReason.EXPIRED);
        }
        Optional<String> boundJkt;
        try {
            boundJkt = confirmationThumbprint(claims);
        } catch (ParseException e) {
            return Introspection.inactive(InactiveReason.MALFORMED);
        }
        if (boundJkt.isPresent() && proof == null) {
            return Introspection.inactive(InactiveReason.DPOP_PROOF_MISSING);
        }
        if (unknown.isPresent()) {
            return Introspection.revocationStateUnknown(unknown.get());
        }
        if (boundJkt.isPresent()) {
            try {
                dpop.verifyResourceRequest(claims.getSubject(), token, boundJkt.get(), proof);
            } catch (InvalidDpopProofException e) {
                return Introspection.inactive(InactiveReason.DPOP_PROOF_INVALID);
            }
        }
        return Introspection.active(new Introspection.Claims(claims.getIssuer(), claims.getSubject(),
                stringClaim(claims, CredentialClaims.SCOPE), claims.getAudience(), expiration.toInstant(),
                claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant(), claims.getJWTID(),
                grant.get().grantId().toString(), stringClaim(claims, CredentialClaims.TASK_ID),
                stringClaim(claims, CredentialClaims.ENVIRONMENT), boundJkt.orElse(null)));
    }

    /** The {@code cnf.jkt} of a bound token; a {@code cnf} we did not write (no usable jkt) is malformed. */
    private static Optional<String> confirmationThumbprint(JWTClaimsSet claims) throws ParseException {
        Map<String, Object> confirmation = claims.getJSONObjectClaim(CredentialClaims.CONFIRMATION);
        if (confirmation == null) {
            return Optional.empty();
        }
        Object jkt = confirmation.get(CredentialClaims.JWK_THUMBPRINT);
        if (!(jkt instanceof String thumbprint) || !DpopVerifier.isThumbprint(thumbprint)) {
            throw new ParseException("cnf without a SHA-256 jkt", 0);
        }
        return Optional.of(thumbprint);
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
