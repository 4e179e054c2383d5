package io.jitbroker.issuer.domain;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The issuer's ES256 keys: one active private key that signs, and the public keys that verify and
 * are published as the JWKS. Verification looks keys up by kid so a retired key can keep verifying
 * during a rotation (the rotation itself comes later).
 */
public final class SigningKeys {

    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;

    private final ECKey active;
    private final List<ECKey> verificationKeys;
    private final boolean ephemeral;

    private SigningKeys(ECKey active, boolean ephemeral) {
        this.active = active;
        this.verificationKeys = List.of(active.toPublicJWK());
        this.ephemeral = ephemeral;
    }

    /**
     * Reads a private EC P-256 JWK (JSON, with a kid). Error messages never quote the input: it is a
     * private key.
     */
    public static SigningKeys fromJwk(String json) {
        ECKey key;
        try {
            JWK jwk = JWK.parse(json);
            if (!(jwk instanceof ECKey ecKey)) {
                throw new IllegalArgumentException("the signing key must be an EC JWK (kty EC), not " + jwk.getKeyType());
            }
            key = ecKey;
        } catch (ParseException e) {
            throw new IllegalArgumentException("the signing key is not a valid JWK (JSON object with kty, crv, x, y, d, kid)");
        }
        if (!Curve.P_256.equals(key.getCurve())) {
            throw new IllegalArgumentException("the signing key must be on curve P-256 for ES256, not " + key.getCurve());
        }
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the signing key must be a private JWK (with d)");
        }
        if (key.getKeyID() == null || key.getKeyID().isBlank()) {
            throw new IllegalArgumentException("the signing key must have a kid");
        }
        if (key.getAlgorithm() != null && !ALGORITHM.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the signing key's alg must be ES256, not " + key.getAlgorithm());
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalArgumentException("the signing key's use must be sig");
        }
        return new SigningKeys(key, false);
    }

    /** A key that lives as long as this process: tokens die with it and other instances cannot verify them. */
    public static SigningKeys ephemeral() {
        try {
            return new SigningKeys(new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(ALGORITHM)
                    .keyID("ephemeral-" + UUID.randomUUID())
                    .generate(), true);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an ephemeral EC P-256 key", e);
        }
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    public String activeKeyId() {
        return active.getKeyID();
    }

    public JWSSigner signer() {
        try {
            return new ECDSASigner(active);
        } catch (JOSEException e) {
            throw new IllegalStateException("the active signing key cannot sign", e);
        }
    }

    /** The verifier for a kid we published, or empty for any other kid. */
    public Optional<JWSVerifier> verifierFor(String keyId) {
        if (keyId == null) {
            return Optional.empty();
        }
        for (ECKey key : verificationKeys) {
            if (keyId.equals(key.getKeyID())) {
                try {
                    return Optional.of(new ECDSAVerifier(key));
                } catch (JOSEException e) {
                    throw new IllegalStateException("published key " + keyId + " cannot verify", e);
                }
            }
        }
        return Optional.empty();
    }

    /** The public keys as a JWKS document; never contains private material. */
    public String publicJwksJson() {
        return new JWKSet(List.copyOf(verificationKeys)).toString(true);
    }
}
