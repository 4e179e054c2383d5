package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class RevocationPartitionsTest {

    @Test
    void shouldPickThePartitionOfTheProducersDefaultPartitionerWhenGivenAGrantId() {
        // given: many grant ids, and the partition counts a deployment may choose
        for (int partitionCount : new int[] {1, 3, 6, 12, 24}) {
            for (int i = 0; i < 2_000; i++) {
                UUID grantId = UUID.randomUUID();

                // when
                int partition = RevocationPartitions.partitionOf(grantId, partitionCount);

                // then: where KafkaProducer puts a record keyed by the grant id (a UTF-8 string) with no partitioner set
                assertEquals(BuiltInPartitioner.partitionForKey(grantId.toString().getBytes(StandardCharsets.UTF_8),
                        partitionCount), partition, grantId + " of " + partitionCount);
            }
        }
    }

    @Test
    void shouldKeepPinnedPartitionsWhenGivenKnownGrantIds() {
        // given: partitions computed once, so that a change of the key's encoding cannot go unnoticed
        UUID first = UUID.fromString("6f1c1a52-3c2e-4d5f-9a0b-1c2d3e4f5a6b");
        UUID second = UUID.fromString("d2a8e1f4-7b3c-4e59-8f60-1a2b3c4d5e6f");

        // when / then
        assertEquals(2, RevocationPartitions.partitionOf(first, 3));
        assertEquals(5, RevocationPartitions.partitionOf(first, 6));
        assertEquals(11, RevocationPartitions.partitionOf(first, 12));
        assertEquals(1, RevocationPartitions.partitionOf(second, 3));
        assertEquals(4, RevocationPartitions.partitionOf(second, 12));
    }

    @Test
    void shouldRefuseWhenPartitionCountIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> RevocationPartitions.partitionOf(UUID.randomUUID(), 0));
    }
}
