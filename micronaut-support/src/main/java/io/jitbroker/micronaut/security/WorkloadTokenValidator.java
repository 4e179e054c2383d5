package io.jitbroker.micronaut.security;

import io.jitbroker.contracts.SpiffeId;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On top of signature, issuer, audience and expiry (micronaut-security's validators, configured per
 * service): a workload token must carry an expiry (no eternal tokens) and its subject must be a SPIFFE
 * workload ID, since that subject is the workload id on every event and what operator lists name.
 * Every service that accepts workload tokens validates them with this one class.
 */
@Singleton
@Requires(classes = GenericJwtClaimsValidator.class)
public class WorkloadTokenValidator<T> implements GenericJwtClaimsValidator<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadTokenValidator.class);

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
