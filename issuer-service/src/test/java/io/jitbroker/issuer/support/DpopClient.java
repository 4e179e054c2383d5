package io.jitbroker.issuer.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A workload's DPoP key pair and the proofs it makes (RFC 9449, section 4.2), written out claim by
 * claim so that tests can also make every kind of wrong proof.
 */
public final class DpopClient {

    private final ECKey key;

    private DpopClient(ECKey key) {
        this.key = key;
    }

    public static DpopClient generate() {
        try {
            return new DpopClient(new ECKeyGenerator(Curve.P_256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RFC 7638 SHA-256 thumbprint a workload declares as its dpopJkt. */
    public String thumbprint() {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A correct proof for one request made with {@code accessToken} (hashed into ath). */
    public String proof(String method, URI uri, String accessToken) {
        return proof(method, uri, accessToken, claims -> { });
    }

    /** A proof whose claims the test may change before it is signed. */
    public String proof(String method, URI uri, String accessToken, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", method)
                .claim("htu", uri.toString())
                .issueTime(Date.from(Instant.now()))
                .claim("ath", ath(accessToken));
        change.accept(claims);
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims.build());
    }

    /** A proof with the given header (e.g. the wrong typ), signed by this key. */
    public String proofWithHeader(JWSHeader header, String method, URI uri, String accessToken) {
        return sign(header, new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method)
                .claim("htu", uri.toString()).issueTime(Date.from(Instant.now())).claim("ath", ath(accessToken)).build());
    }

    public ECKey publicKey() {
        return key.toPublicJWK();
    }

    public static String ath(String accessToken) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII))).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
