package io.jitbroker.issuer.domain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProofUse;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.util.singleuse.AlreadyUsedException;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Checks DPoP proofs (RFC 9449, section 4.3) with the Nimbus OAuth SDK: one compact JWT of type
 * {@code dpop+jwt}, signed with an asymmetric algorithm by the public key in its {@code jwk} header,
 * whose {@code htm} and {@code htu} name this request, whose {@code iat} is recent (at most
 * {@code maxAge} old, at most {@code maxClockSkew} ahead), whose {@code ath} is the SHA-256 of the
 * access token it accompanies, and whose {@code jti} has not been seen before from the same workload
 * (the {@link ProofReplayGuard}, shared by every instance).
 *
 * <p>Both uses accompany a token: at pickup, the workload's own JWT-SVID (the bearer token of that
 * request), so a proof cannot be lifted onto another workload's pickup; at a resource, the DPoP-bound
 * credential itself.
 */
public final class DpopVerifier {

    /** Asymmetric algorithms only: no {@code none}, no MAC (the verifier holds no shared secret). */
    static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.RS256,
            JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    private final DPoPProtectedResourceRequestVerifier verifier;

    public DpopVerifier(ProofReplayGuard replayGuard, Clock clock, Duration maxAge, Duration maxClockSkew) {
        if (maxAge.compareTo(maxClockSkew) < 0) {
            throw new IllegalArgumentException("the DPoP proof max age must be at least the allowed clock skew");
        }
        this.verifier = new DPoPProtectedResourceRequestVerifier(ACCEPTED_ALGORITHMS, maxClockSkew.toSeconds(),
                maxAge.toSeconds(), new ReplayChecker(replayGuard, clock, maxClockSkew));
    }

    /**
     * The thumbprint (RFC 7638, SHA-256, base64url) of the key a proof was signed with, after checking
     * the proof for a pickup made with the workload's JWT-SVID. Whether that key is the one the access
     * request declared is the caller's rule, not the proof's.
     *
     * @param workloadId  the caller, proven by its JWT-SVID
     * @param workloadJwt that JWT-SVID: the proof's {@code ath} must be its hash
     */
    public String verifyPickup(String workloadId, String workloadJwt, DpopPresentation presentation) {
        SignedJWT proof = parse(presentation.proof());
        String proofJkt = thumbprintOf(proof);
        verify(workloadId, presentation, proof, workloadJwt, proofJkt);
        return proofJkt;
    }

    /**
     * Checks a proof presented with a DPoP-bound credential at a resource.
     *
     * @param subject     the credential's subject (the workload that must hold the key)
     * @param credential  the credential the proof's {@code ath} must hash
     * @param boundJkt    the credential's {@code cnf.jkt}
     */
    public void verifyResourceRequest(String subject, String credential, String boundJkt, DpopPresentation presentation) {
        verify(subject, presentation, parse(presentation.proof()), credential, boundJkt);
    }

    private void verify(String issuer, DpopPresentation presentation, SignedJWT proof, String accessToken,
                        String expectedJkt) {
        try {
            verifier.verify(presentation.method(), presentation.uri(), new DPoPIssuer(issuer), proof,
                    new DPoPAccessToken(accessToken), new JWKThumbprintConfirmation(new Base64URL(expectedJkt)));
        } catch (InvalidDPoPProofException e) {
            throw new InvalidDpopProofException(e.getMessage());
        } catch (AccessTokenValidationException e) {
            throw new InvalidDpopProofException("Invalid DPoP proof: " + e.getMessage());
        } catch (JOSEException e) {
            throw new InvalidDpopProofException("Invalid DPoP proof: its key cannot be used: " + e.getMessage());
        }
    }

    private static SignedJWT parse(String proof) {
        try {
            SignedJWT jwt = SignedJWT.parse(proof);
            JWK key = jwt.getHeader().getJWK();
            if (key == null) {
                throw new InvalidDpopProofException("Invalid DPoP proof: no jwk header");
            }
            if (key.isPrivate()) {
                throw new InvalidDpopProofException("Invalid DPoP proof: the jwk header holds a private key");
            }
            return jwt;
        } catch (ParseException e) {
            throw new InvalidDpopProofException("Invalid DPoP proof: not a signed JWT with a public jwk header");
        }
    }

    private static String thumbprintOf(SignedJWT proof) {
        try {
            return proof.getHeader().getJWK().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new InvalidDpopProofException("Invalid DPoP proof: the jwk header has no thumbprint: " + e.getMessage());
        }
    }

    /** True when the value is shaped like a SHA-256 JWK thumbprint: 43 base64url characters. */
    public static boolean isThumbprint(String value) {
        return value != null && value.matches("[A-Za-z0-9_-]{43}");
    }

    /** Adapts the replay guard to the SDK: a proof's jti is remembered while its iat can still pass. */
    private static final class ReplayChecker implements SingleUseChecker<DPoPProofUse> {

        private final ProofReplayGuard guard;
        private final Clock clock;
        private final Duration maxClockSkew;

        ReplayChecker(ProofReplayGuard guard, Clock clock, Duration maxClockSkew) {
            this.guard = guard;
            this.clock = clock;
            this.maxClockSkew = maxClockSkew;
        }

        @Override
        public void markAsUsed(DPoPProofUse use) throws AlreadyUsedException {
            // An iat up to maxClockSkew ahead stays acceptable until maxAge after it.
            var keepUntil = clock.instant().plusSeconds(use.getMaxAge()).plus(maxClockSkew).plus(maxClockSkew);
            if (!guard.firstUse(use.getIssuer().getValue(), sha256(use.getJWTID().getValue()), keepUntil)) {
                throw new AlreadyUsedException("the DPoP proof jti was already used: a replayed proof");
            }
        }

        private static String sha256(String value) {
            try {
                return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                        .digest(value.getBytes(StandardCharsets.UTF_8))).toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is unavailable", e);
            }
        }
    }
}
