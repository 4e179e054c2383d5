package io.jitbroker.issuer.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a grant's revocations are written: jit.revocations.v1 is keyed by grantId (a UTF-8 string),
 * and the revoker writes it with the producer's default partitioner, which puts a key on
 * {@code toPositive(murmur2(key)) % partitionCount}. Only that partition can carry a revocation of the
 * grant, so only its progress tells whether the grant may have been revoked.
 */
public final class RevocationPartitions {

    private RevocationPartitions() {
    }

    /** @throws IllegalArgumentException when the partition count is not positive */
    public static int partitionOf(UUID grantId, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition, got " + partitionCount);
        }
        byte[] key = grantId.toString().getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }
}
