package io.jitbroker.issuer.domain;

import java.time.Instant;

/** A credential handed to its workload at pickup: a signed JWT or a database login. Secret, served once. */
public sealed interface IssuedCredential permits MintedCredential, PostgresLogin {

    /** {@code jwt} or {@code postgres}: the grant's credential type. */
    String type();

    Instant expiresAt();
}
