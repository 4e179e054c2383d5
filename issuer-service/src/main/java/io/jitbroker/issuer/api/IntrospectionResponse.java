package io.jitbroker.issuer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jitbroker.issuer.domain.CredentialClaims;
import io.jitbroker.issuer.domain.Introspection;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * RFC 7662 introspection response; an inactive token gets exactly {@code {"active":false}}. A DPoP-bound
 * token is reported with {@code token_type: DPoP} and {@code cnf: {"jkt": ...}} (RFC 9449, section 6.2).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntrospectionResponse(
        boolean active,
        @Nullable String iss,
        @Nullable String sub,
        @Nullable String scope,
        @Nullable List<String> aud,
        @Nullable Long exp,
        @Nullable Long iat,
        @Nullable String jti,
        @Nullable @JsonProperty("grant_id") String grantId,
        @Nullable @JsonProperty("task_id") String taskId,
        @Nullable String env,
        @Nullable @JsonProperty("token_type") String tokenType,
        @Nullable Map<String, String> cnf) {

    private static final IntrospectionResponse INACTIVE =
            new IntrospectionResponse(false, null, null, null, null, null, null, null, null, null, null, null, null);

    static IntrospectionResponse of(Introspection introspection) {
        if (!introspection.active()) {
            return INACTIVE;
        }
        Introspection.Claims claims = introspection.claims();
        return new IntrospectionResponse(true, claims.issuer(), claims.subject(), claims.scope(), claims.audience(),
                claims.expiresAt().getEpochSecond(),
                claims.issuedAt() == null ? null : claims.issuedAt().getEpochSecond(),
                claims.tokenId(), claims.grantId(), claims.taskId(), claims.environment(), claims.tokenType(),
                claims.boundJkt() == null ? null : Map.of(CredentialClaims.JWK_THUMBPRINT, claims.boundJkt()));
    }
}
