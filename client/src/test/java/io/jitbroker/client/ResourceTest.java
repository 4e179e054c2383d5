package io.jitbroker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResourceTest {

    @Test
    void shouldReadTypeIdAndActionsWhenParsingTheCliSyntax() {
        // when
        Resource resource = Resource.parse("http:inventory-api:read,write");

        // then
        assertEquals(new Resource("http", "inventory-api", List.of("read", "write")), resource);
        assertEquals("http:inventory-api:read,write", resource.toString());
    }

    @Test
    void shouldKeepSlashesDotsAndColonsInTheIdWhenParsing() {
        // when
        Resource table = Resource.parse("postgres:orders-db/public.orders:SELECT");
        Resource withColon = Resource.parse("kafka:cluster-1:topic-a:READ");

        // then
        assertEquals(Resource.of("postgres", "orders-db/public.orders", "SELECT"), table);
        assertEquals(Resource.of("kafka", "cluster-1:topic-a", "READ"), withColon);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "http:inventory-api", ":inventory-api:read", "http::read", "http:api:", "http:api:read,,write"})
    void shouldRefuseWithTheSyntaxWhenTheTextIsNotTypeIdActions(String text) {
        // when
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Resource.parse(text));

        // then
        assertTrue(refused.getMessage().contains("'" + text + "'"), refused.getMessage());
    }
}
