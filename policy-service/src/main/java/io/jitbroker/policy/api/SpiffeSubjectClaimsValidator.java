package io.jitbroker.policy.api;

import io.jitbroker.schemas.SpiffeId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On top of signature, issuer, audience and expiry: a token must expire (no eternal tokens) and
 * its subject must be a SPIFFE ID, since that subject is who the operator lists name.
 */
@Singleton
public class SpiffeSubjectClaimsValidator<T> implements GenericJwtClaimsValidator<T> {

    private static final Logger LOG = LoggerFactory.getLogger(SpiffeSubjectClaimsValidator.class);

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
        if (claims.get(Claims.EXPIRATION_TIME) == null) {
            LOG.debug("token rejected: no expiry");
            return false;
        }
        if (!SpiffeId.isWorkloadId(claims.get(Claims.SUBJECT))) {
            LOG.debug("token rejected: subject is not a SPIFFE workload ID");
            return false;
        }
        return true;
    }
}
