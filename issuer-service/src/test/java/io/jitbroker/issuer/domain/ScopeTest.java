package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void shouldListEveryActionAsTypeIdActionWhenResourcesGranted() {
        // given
        List<GrantedResource> resources = List.of(
                new GrantedResource("postgres", "orders-db", List.of("read", "write")),
                new GrantedResource("http", "https://api.internal/deploy", List.of("invoke")));

        // when
        String scope = Scope.of(resources);

        // then
        assertEquals("postgres:orders-db:read postgres:orders-db:write http:https://api.internal/deploy:invoke", scope);
    }

    @Test
    void shouldListEntryOnceWhenResourceGrantedTwice() {
        // given
        List<GrantedResource> resources = List.of(
                new GrantedResource("postgres", "orders-db", List.of("read")),
                new GrantedResource("postgres", "orders-db", List.of("read")));

        // when
        String scope = Scope.of(resources);

        // then
        assertEquals("postgres:orders-db:read", scope);
    }
}
