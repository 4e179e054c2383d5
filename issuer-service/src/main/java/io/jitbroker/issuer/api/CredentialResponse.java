package io.jitbroker.issuer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jitbroker.issuer.domain.IssuedCredential;
import io.jitbroker.issuer.domain.MintedCredential;
import io.jitbroker.issuer.domain.PostgresLogin;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A picked-up credential: secret, served once with Cache-Control: no-store.
 *
 * @param type       {@code jwt} or {@code postgres}
 * @param expiresAt  ISO-8601 instant: the JWT's exp, or the login's VALID UNTIL
 * @param credential jwt: the token itself
 * @param tokenType  jwt: {@code Bearer}, or {@code DPoP} when bound to the workload's DPoP key (present it as
 *                   {@code Authorization: DPoP <credential>} with a fresh proof, RFC 9449 section 7)
 * @param host       postgres: where to connect, with port and database
 * @param username   postgres: the login role, made for this grant alone
 * @param password   postgres: its password
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialResponse(String type, String expiresAt, @Nullable String credential, @Nullable String tokenType,
                                 @Nullable String host, @Nullable Integer port, @Nullable String database,
                                 @Nullable String username, @Nullable String password) {

    static CredentialResponse of(IssuedCredential issued) {
        if (issued instanceof PostgresLogin login) {
            return new CredentialResponse(login.type(), login.expiresAt().toString(), null, null, login.endpoint().host(),
                    login.endpoint().port(), login.endpoint().database(), login.username(), login.password());
        }
        MintedCredential jwt = (MintedCredential) issued;
        return new CredentialResponse(jwt.type(), jwt.expiresAt().toString(), jwt.token(), jwt.tokenType(), null, null,
                null, null, null);
    }

    @Override
    public String toString() {
        return "CredentialResponse[type=" + type + ", expiresAt=" + expiresAt + ", <secret redacted>]";
    }
}
