package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private static final Duration ROTATION = Duration.ofHours(24);

    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemorySigningKeyStore store = new InMemorySigningKeyStore();
    private final MasterKey masterKey = MasterKey.random();

    private SigningKeys instance(MasterKey key) {
        return new SigningKeys(store, key, clock, ROTATION, () -> UUID.randomUUID().toString());
    }

    @Test
    void shouldCreateAndPublishOneKeyWhenFirstStarted() throws Exception {
        // given
        SigningKeys keys = instance(masterKey);

        // when
        keys.start();

        // then
        assertEquals(1, store.all().size());
        assertEquals(store.all().get(0).kid(), keys.activeKeyId());
        JWKSet jwks = JWKSet.parse(keys.publicJwksJson());
        assertEquals(List.of(keys.activeKeyId()), jwks.getKeys().stream().map(k -> k.getKeyID()).toList());
        assertFalse(jwks.getKeys().get(0).isPrivate(), "only public keys are published");
    }

    @Test
    void shouldCreateNoSecondKeyWhenAnotherInstanceStartsOnTheSameStore() {
        // given
        SigningKeys first = instance(masterKey);
        first.start();

        // when
        SigningKeys second = instance(masterKey);
        second.start();

        // then
        assertEquals(1, store.all().size());
        assertEquals(first.activeKeyId(), second.activeKeyId());
    }

    @Test
    void shouldKeepSigningWithSameKeyWhenRotationIntervalNotReached() {
        // given
        SigningKeys keys = instance(masterKey);
        keys.start();
        String kid = keys.activeKeyId();
        clock.advance(ROTATION.minusMinutes(1));

        // when
        SigningKeys.Maintenance pass = keys.maintain();

        // then
        assertFalse(pass.rotated());
        assertEquals(kid, keys.signerFor(clock.instant().plusSeconds(60)).kid());
    }

    @Test
    void shouldSignWithNewKeyAndPublishBothWhenRotationIntervalPassed() {
        // given: a token signed with the first key that outlives the rotation
        SigningKeys keys = instance(masterKey);
        keys.start();
        String old = keys.signerFor(Fixtures.T0.plus(ROTATION).plus(Duration.ofHours(2))).kid();
        clock.advance(ROTATION);

        // when
        SigningKeys.Maintenance pass = keys.maintain();

        // then
        assertTrue(pass.rotated());
        assertTrue(pass.retired().isEmpty(), "the old key still has a live token");
        String fresh = keys.signerFor(clock.instant().plusSeconds(60)).kid();
        assertNotEquals(old, fresh);
        assertEquals(List.of(fresh, old), keys.publishedKeyIds(), "newest first");
        assertTrue(keys.verifierFor(old).isPresent(), "the old key still verifies");
    }

    @Test
    void shouldRetireOldKeyOnlyOnceItsLastTokenExpired() {
        // given: the old key signed two tokens; the later expiry counts
        SigningKeys keys = instance(masterKey);
        keys.start();
        Instant lastExpiry = Fixtures.T0.plus(ROTATION).plus(Duration.ofHours(2));
        String old = keys.signerFor(lastExpiry).kid();
        keys.signerFor(Fixtures.T0.plus(Duration.ofHours(1)));
        clock.advance(ROTATION);
        keys.maintain();

        // when: just before, then at the last expiry and the margin recorded ahead of it
        Instant retirable = lastExpiry.plus(SigningKeys.EXPIRY_RECORDED_AHEAD);
        clock.advance(Duration.between(clock.instant(), retirable).minusSeconds(1));
        List<String> retiredEarly = keys.maintain().retired();
        clock.advance(Duration.ofSeconds(1));
        List<String> retired = keys.maintain().retired();

        // then
        assertTrue(retiredEarly.isEmpty());
        assertEquals(List.of(old), retired);
        assertTrue(keys.verifierFor(old).isEmpty(), "a retired key verifies nothing");
        assertFalse(keys.publishedKeyIds().contains(old), "and is gone from the JWKS");
        StoredSigningKey stored = store.all().get(0);
        assertEquals(clock.instant(), stored.retiredAt());
        assertNull(stored.sealedPrivateJwk(), "its private part is erased");
    }

    @Test
    void shouldRecordExpiryOncePerFewMinutesNotOncePerToken() {
        // given
        SigningKeys keys = instance(masterKey);
        keys.start();
        Instant first = clock.instant().plus(Duration.ofMinutes(15));

        // when: tokens expiring within the margin recorded with the first need no write; a later one does
        keys.signerFor(first);
        keys.signerFor(first.plusSeconds(10));
        keys.signerFor(first.plus(SigningKeys.EXPIRY_RECORDED_AHEAD));
        int writesWithinMargin = store.expiryRecords;
        keys.signerFor(first.plus(SigningKeys.EXPIRY_RECORDED_AHEAD).plusSeconds(1));

        // then
        assertEquals(1, writesWithinMargin);
        assertEquals(2, store.expiryRecords);
        assertEquals(first.plus(SigningKeys.EXPIRY_RECORDED_AHEAD.multipliedBy(2)).plusSeconds(1),
                store.all().get(0).lastSignedExpiry());
    }

    @Test
    void shouldNeverRetireNewestKeyWhenItsTokensExpired() {
        // given
        SigningKeys keys = instance(masterKey);
        keys.start();
        String kid = keys.signerFor(clock.instant().plusSeconds(60)).kid();
        clock.advance(Duration.ofHours(1));

        // when
        SigningKeys.Maintenance pass = keys.maintain();

        // then
        assertTrue(pass.retired().isEmpty());
        assertEquals(kid, keys.activeKeyId());
    }

    @Test
    void shouldSignWithNewestKeyWhenAnotherInstanceRotatedAndRetiredTheKeyThisOneUses() {
        // given: instance two rotates on demand and retires the old key (it signed nothing)
        SigningKeys one = instance(masterKey);
        one.start();
        String old = one.activeKeyId();
        SigningKeys two = instance(masterKey);
        two.start();
        clock.advance(Duration.ofMinutes(1));
        String fresh = two.rotateNow().kid();
        assertEquals(List.of(old), two.maintain().retired());

        // when: instance one, which has not read the store since, signs
        SigningKeys.Signing signing = one.signerFor(clock.instant().plusSeconds(60));

        // then: the retired key refused the token; the newest signed it
        assertEquals(fresh, signing.kid());
        assertEquals(fresh, one.activeKeyId());
    }

    @Test
    void shouldMakeOneKeyWhenOnDemandRotationsRace() {
        // given
        SigningKeys keys = instance(masterKey);
        keys.start();
        clock.advance(Duration.ofMinutes(1));

        // when
        SigningKeys.Rotation first = keys.rotateNow();
        clock.advance(Duration.ofSeconds(1));
        SigningKeys.Rotation second = keys.rotateNow();

        // then
        assertTrue(first.created());
        assertFalse(second.created());
        assertEquals(first.kid(), second.kid());
        assertEquals(2, store.all().size());
    }

    @Test
    void shouldStorePrivateKeySealedUnderMasterKeyWhenCreated() {
        // given
        SigningKeys keys = instance(masterKey);

        // when
        keys.start();

        // then
        StoredSigningKey stored = store.all().get(0);
        String sealed = new String(stored.sealedPrivateJwk(), StandardCharsets.ISO_8859_1);
        assertFalse(sealed.contains("\"d\""), "no clear private JWK at rest");
        String opened = new String(masterKey.open(stored.sealedPrivateJwk(), stored.kid()), StandardCharsets.UTF_8);
        assertTrue(opened.contains("\"d\""));
        assertFalse(stored.publicJwk().contains("\"d\""));
    }

    @Test
    void shouldFailClosedWithClearErrorWhenMasterKeyIsNotTheOneKeysWereSealedWith() {
        // given: keys created under one master key
        SigningKeys original = instance(masterKey);
        original.start();
        MasterKey wrong = MasterKey.random();

        // when
        SigningKeys misconfigured = instance(wrong);
        SigningKeys.SigningKeyUnavailableException e =
                assertThrows(SigningKeys.SigningKeyUnavailableException.class, misconfigured::start);

        // then: the error names the key and the setting, never a key
        assertTrue(e.getMessage().contains("JIT_ISSUER_MASTER_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains(original.activeKeyId()), e.getMessage());
        assertFalse(e.getMessage().contains(wrong.toBase64()), e.getMessage());
        assertFalse(e.getMessage().contains(masterKey.toBase64()), e.getMessage());
        assertThrows(SigningKeys.SigningKeyUnavailableException.class,
                () -> misconfigured.signerFor(clock.instant().plusSeconds(60)), "nothing is signed");
        assertEquals(1, store.all().size(), "and no key is added to replace the one it cannot open");
    }
}
