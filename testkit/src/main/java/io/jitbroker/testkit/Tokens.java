package io.jitbroker.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jitbroker.devstack.DevIdentityProvider;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Workload tokens for tests: good ones from the dev identity provider, and each kind of bad one. */
public final class Tokens {

    private final DevIdentityProvider idp;
    private final Consumer<String> onMint;

    public Tokens(DevIdentityProvider idp) {
        this(idp, token -> { });
    }

    /** @param onMint sees every token handed out, e.g. to look for it later where it must not be */
    public Tokens(DevIdentityProvider idp, Consumer<String> onMint) {
        this.idp = idp;
        this.onMint = onMint;
    }

    public String valid(String workload) {
        return minted(idp.mint(workload));
    }

    private String minted(String token) {
        onMint.accept(token);
        return token;
    }

    public String expired(String workload) {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        return minted(idp.sign(claims(workload, idp.issuer(), idp.audience(), past.minus(Duration.ofMinutes(15)), past)));
    }

    public String forAudience(String workload, String audience) {
        return minted(idp.mint(workload, audience, Duration.ofMinutes(5)));
    }

    public String fromIssuer(String workload, String issuer) {
        return minted(idp.sign(claims(workload, issuer, idp.audience(), Instant.now(), Instant.now().plus(Duration.ofMinutes(5)))));
    }

    /** Signed by the trusted key, but the subject is not a SPIFFE ID. */
    public String withSubject(String subject) {
        return minted(idp.sign(claims(subject, idp.issuer(), idp.audience(), Instant.now(), Instant.now().plus(Duration.ofMinutes(5)))));
    }

    /** A valid token that also carries {@code extra} claims (e.g. an environment binding). */
    public String withClaims(String workload, Map<String, Object> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(
                claims(workload, idp.issuer(), idp.audience(), Instant.now(), Instant.now().plus(Duration.ofMinutes(5))));
        extra.forEach(claims::claim);
        return minted(idp.sign(claims.build()));
    }

    /** Signed by the trusted key, but with no expiry at all. */
    public String withoutExpiry(String workload) {
        return minted(idp.sign(new JWTClaimsSet.Builder()
                .issuer(idp.issuer()).subject(workload).audience(idp.audience())
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString())
                .build()));
    }

    /** Everything right except the signature: another key that claims the trusted key's id. */
    public String wronglySigned(String workload) {
        try {
            String kid = SignedJWT.parse(idp.mint(workload)).getHeader().getKeyID();
            ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build(),
                    claims(workload, idp.issuer(), idp.audience(), Instant.now(), Instant.now().plus(Duration.ofMinutes(5))));
            jwt.sign(new ECDSASigner(impostor));
            return minted(jwt.serialize());
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet claims(String subject, String issuer, String audience, Instant issuedAt, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
    }
}
