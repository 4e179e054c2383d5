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
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This instance's view of the issuer's ES256 keys, kept in step with the {@link SigningKeyStore} that
 * all instances share. The newest published key signs; every published key verifies and is in the
 * JWKS; a key is retired (unpublished, its private part erased) once it is no longer the newest and
 * the last token it signed has expired. Before a key signs, the token's expiry is recorded on it, so
 * retirement never overtakes a live token, whichever instance signed it. The expiry is recorded
 * further ahead than the token needs (its own lifetime more, at most {@link #EXPIRY_RECORDED_AHEAD}),
 * so that the tokens minted in the next minutes are already covered and need no write: a database
 * round trip per credential became one per few minutes, and a drained key is retired at most that
 * much later.
 *
 * <p>Private keys are only ever in the store sealed under the {@link MasterKey}. Only the newest is
 * opened; if it cannot be, this instance cannot sign (fail closed) but still verifies, since public
 * keys are stored in clear.
 */
public final class SigningKeys {

    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;
    /** An on-demand rotation within this span of the last one returns that key instead of adding another. */
    static final Duration ON_DEMAND_ROTATION_SPACING = Duration.ofSeconds(5);
    /** A token with an unknown kid reloads the keys at most this often (another instance may have rotated). */
    static final Duration RELOAD_ON_MISS_SPACING = Duration.ofSeconds(1);
    private static final int SIGNING_ATTEMPTS = 3;
    /** How much later than a token's expiry its signing key's recorded expiry is set, at most. */
    static final Duration EXPIRY_RECORDED_AHEAD = Duration.ofMinutes(5);

    /** The key to sign one token with, its expiry already recorded against it. */
    public record Signing(String kid, JWSSigner signer) {
    }

    /** The result of a rotation: the newest key and whether this call created it. */
    public record Rotation(String kid, Instant createdAt, boolean created) {
    }

    /** What one maintenance pass did: whether it added a key, which keys it retired, which key signs now. */
    public record Maintenance(boolean rotated, List<String> retired, String signingKid) {
    }

    private final SigningKeyStore store;
    private final MasterKey masterKey;
    private final Clock clock;
    private final Duration rotationInterval;
    private final Supplier<String> keyIds;
    private volatile Ring ring;
    private volatile Instant lastReload = Instant.MIN;
    /** The latest expiry this instance recorded on the newest key: tokens expiring no later are covered. */
    private volatile RecordedExpiry recorded;
    /** Signers and verifiers by kid (a kid always names the same key); looked up only for published keys. */
    private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();
    private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();

    private record RecordedExpiry(String kid, Instant until) {
    }

    public SigningKeys(SigningKeyStore store, MasterKey masterKey, Clock clock, Duration rotationInterval,
                       Supplier<String> keyIds) {
        if (rotationInterval.isNegative() || rotationInterval.isZero()) {
            throw new IllegalArgumentException("the key rotation interval must be positive");
        }
        this.store = store;
        this.masterKey = masterKey;
        this.clock = clock;
        this.rotationInterval = rotationInterval;
        this.keyIds = keyIds;
    }

    /**
     * Makes sure a key exists (the first instance to start creates it), loads the keys and checks the
     * newest can sign.
     *
     * @throws SigningKeyUnavailableException if the newest key does not open under the master key
     */
    public void start() {
        rotateIfDue();
        Ring loaded = reload();
        loaded.requireSigner();
    }

    /** Adds a key when the newest is older than the rotation interval; true when this call added one. */
    public boolean rotateIfDue() {
        Ring current = ring;
        Instant now = clock.instant();
        if (current != null && current.newestCreatedAt().isAfter(now.minus(rotationInterval))) {
            return false;
        }
        boolean created = store.insertUnlessFresherExists(newKey(now), now.minus(rotationInterval));
        reload();
        return created;
    }

    /**
     * Rotates now, on an operator's request. Requests that race (a double click, two instances) within
     * {@link #ON_DEMAND_ROTATION_SPACING} make one key.
     */
    public Rotation rotateNow() {
        Instant now = clock.instant();
        boolean created = store.insertUnlessFresherExists(newKey(now), now.minus(ON_DEMAND_ROTATION_SPACING));
        Ring loaded = reload();
        return new Rotation(loaded.newestKid(), loaded.newestCreatedAt(), created);
    }

    /**
     * The periodic pass every instance makes: rotate if due, retire the keys no live token needs any
     * more, and read what other instances did.
     */
    public Maintenance maintain() {
        boolean rotated = rotateIfDue();
        List<String> retired = store.retireDrained(clock.instant());
        Ring loaded = reload();
        return new Maintenance(rotated, retired, loaded.newestKid());
    }

    /** Reads the published keys again and opens the newest; see {@link Ring#requireSigner()}. */
    public synchronized Ring reload() {
        List<StoredSigningKey> published = store.findPublished();
        if (published.isEmpty()) {
            throw new IllegalStateException("no signing key is published; none can be created either");
        }
        Map<String, ECKey> publicKeys = new LinkedHashMap<>();
        for (StoredSigningKey key : published) {
            publicKeys.put(key.kid(), parsePublic(key));
        }
        StoredSigningKey newest = published.get(0);
        Ring previous = ring;
        ECKey signer = null;
        SigningKeyUnavailableException unavailable = null;
        if (previous != null && previous.signer() != null && previous.newestKid().equals(newest.kid())) {
            signer = previous.signer();
        } else {
            try {
                signer = openPrivate(newest);
            } catch (SigningKeyUnavailableException e) {
                unavailable = e;
            }
        }
        Ring loaded = new Ring(newest.kid(), newest.createdAt(), signer, unavailable, Map.copyOf(publicKeys),
                List.copyOf(publicKeys.values()));
        ring = loaded;
        // Only the newest key signs, and only published keys verify: nothing else stays in memory.
        signers.keySet().retainAll(Set.of(loaded.newestKid()));
        verifiers.keySet().retainAll(publicKeys.keySet());
        lastReload = clock.instant();
        return loaded;
    }

    /**
     * The newest key, after recording that it signs a token expiring at {@code expiresAt}. A key retired
     * by another instance meanwhile refuses the record: the keys are reloaded and the newest used.
     *
     * @throws SigningKeyUnavailableException if the newest key cannot be opened
     */
    public Signing signerFor(Instant expiresAt) {
        for (int attempt = 0; attempt < SIGNING_ATTEMPTS; attempt++) {
            Ring current = ring;
            ECKey key = current.requireSigner();
            String kid = current.newestKid();
            if (covered(kid, expiresAt) || recordAhead(kid, expiresAt)) {
                return new Signing(kid, signers.computeIfAbsent(kid, ignored -> signer(kid, key)));
            }
            reload();
        }
        throw new IllegalStateException("no published signing key accepted a new token after " + SIGNING_ATTEMPTS
                + " attempts; keys are being retired faster than they are read");
    }

    /** Whether an expiry this instance recorded on the key already covers a token expiring at {@code expiresAt}. */
    private boolean covered(String kid, Instant expiresAt) {
        RecordedExpiry latest = recorded;
        return latest != null && latest.kid().equals(kid) && !expiresAt.isAfter(latest.until());
    }

    /** Records the expiry ahead on the key; false when the key is retired and must not sign. */
    private boolean recordAhead(String kid, Instant expiresAt) {
        Duration lifetime = Duration.between(clock.instant(), expiresAt);
        Instant until = lifetime.isNegative() || lifetime.compareTo(EXPIRY_RECORDED_AHEAD) >= 0
                ? expiresAt.plus(EXPIRY_RECORDED_AHEAD)
                : expiresAt.plus(lifetime);
        if (!store.recordSignedExpiry(kid, until)) {
            return false;
        }
        RecordedExpiry latest = recorded;
        if (latest == null || !latest.kid().equals(kid) || until.isAfter(latest.until())) {
            recorded = new RecordedExpiry(kid, until);
        }
        return true;
    }

    private static JWSSigner signer(String kid, ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing key " + kid + " cannot sign", e);
        }
    }

    /** The verifier for a published kid; empty for a retired or unknown one. */
    public Optional<JWSVerifier> verifierFor(String keyId) {
        if (keyId == null) {
            return Optional.empty();
        }
        ECKey key = ring.publicKeys().get(keyId);
        if (key == null && !clock.instant().isBefore(lastReload.plus(RELOAD_ON_MISS_SPACING))) {
            key = reload().publicKeys().get(keyId);
        }
        if (key == null) {
            return Optional.empty();
        }
        ECKey published = key;
        return Optional.of(verifiers.computeIfAbsent(keyId, kid -> {
            try {
                return new ECDSAVerifier(published);
            } catch (JOSEException e) {
                throw new IllegalStateException("published key " + kid + " cannot verify", e);
            }
        }));
    }

    public String activeKeyId() {
        return ring.newestKid();
    }

    /** The published public keys, newest first, as a JWKS document; never private material. */
    public String publicJwksJson() {
        return new JWKSet(List.<JWK>copyOf(ring.orderedPublicKeys())).toString(true);
    }

    public List<String> publishedKeyIds() {
        return ring.orderedPublicKeys().stream().map(ECKey::getKeyID).toList();
    }

    private StoredSigningKey newKey(Instant now) {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(ALGORITHM).keyID(keyIds.get())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an EC P-256 key", e);
        }
        byte[] sealed = masterKey.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), key.getKeyID());
        return new StoredSigningKey(key.getKeyID(), key.toPublicJWK().toJSONString(), sealed, now, null, null);
    }

    private ECKey openPrivate(StoredSigningKey stored) {
        if (stored.sealedPrivateJwk() == null) {
            throw new SigningKeyUnavailableException("signing key " + stored.kid() + " has no private part");
        }
        byte[] json;
        try {
            json = masterKey.open(stored.sealedPrivateJwk(), stored.kid());
        } catch (MasterKey.WrongMasterKeyException e) {
            throw new SigningKeyUnavailableException("signing key " + stored.kid() + " cannot be decrypted with the "
                    + "configured master key (JIT_ISSUER_MASTER_KEY): " + e.getMessage() + ". Configure the master key "
                    + "the keys were created with; nothing will be signed until then");
        }
        try {
            ECKey key = ECKey.parse(new String(json, StandardCharsets.UTF_8));
            if (!key.isPrivate() || !stored.kid().equals(key.getKeyID())) {
                throw new SigningKeyUnavailableException("signing key " + stored.kid() + " decrypts to something else");
            }
            return key;
        } catch (ParseException e) {
            throw new SigningKeyUnavailableException("signing key " + stored.kid() + " decrypts to an invalid JWK");
        }
    }

    private static ECKey parsePublic(StoredSigningKey stored) {
        try {
            ECKey key = ECKey.parse(stored.publicJwk());
            if (key.isPrivate()) {
                throw new IllegalStateException("stored public key " + stored.kid() + " holds a private part");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("stored public key " + stored.kid() + " is not a valid EC JWK", e);
        }
    }

    /**
     * One consistent reading of the store.
     *
     * @param signer      the newest key's private JWK; null if it could not be opened
     * @param unavailable why it could not be opened
     */
    public record Ring(String newestKid, Instant newestCreatedAt, ECKey signer, SigningKeyUnavailableException unavailable,
                       Map<String, ECKey> publicKeys, List<ECKey> orderedPublicKeys) {

        ECKey requireSigner() {
            if (signer == null) {
                throw new SigningKeyUnavailableException(unavailable.getMessage());
            }
            return signer;
        }

        @Override
        public String toString() {
            return "Ring[newest=" + newestKid + ", published=" + publicKeys.keySet() + "]";
        }
    }

    /** The issuer cannot sign: its newest key does not open. Nothing is issued until it does. */
    public static final class SigningKeyUnavailableException extends RuntimeException {

        public SigningKeyUnavailableException(String message) {
            super(message);
        }
    }
}
