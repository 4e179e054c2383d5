package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresAccessTest {

    @Test
    void shouldReadTargetTablesAndPrivilegesWhenResourcesWellFormed() {
        // when
        PostgresAccess access = PostgresAccess.of(List.of(
                new GrantedResource("postgres", "orders-db/public.orders", List.of("SELECT", "DELETE")),
                new GrantedResource("postgres", "orders-db/sales.order_lines_2026", List.of("INSERT"))));

        // then
        assertEquals("orders-db", access.target());
        assertEquals(List.of(
                new PostgresAccess.TablePrivileges("public", "orders", List.of("SELECT", "DELETE")),
                new PostgresAccess.TablePrivileges("sales", "order_lines_2026", List.of("INSERT"))), access.tables());
        assertEquals("postgres:orders-db", access.backend());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "orders-db/public.orders; DROP TABLE payroll",
        "orders-db/public.\"orders\"",
        "orders-db/Public.Orders",
        "orders-db/orders",
        "orders-db/public.orders.extra",
        "Orders-db/public.orders",
        "orders-db/public.orders--",
        "../public.orders",
        "orders-db/public.orders\n"
    })
    void shouldRejectWhenResourceIdIsNotStrictTargetSchemaTable(String id) {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> PostgresAccess.of(List.of(new GrantedResource("postgres", id, List.of("SELECT")))));

        // then
        assertTrue(e.getMessage().contains("<target>/<schema>.<table>"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUNCATE", "select", "ALL", "SELECT, DELETE", "GRANT"})
    void shouldRejectWhenActionIsNotOneOfTheFourPrivileges(String action) {
        // when / then
        assertThrows(InvalidEventException.class,
                () -> PostgresAccess.of(List.of(new GrantedResource("postgres", "orders-db/public.orders", List.of(action)))));
    }

    @Test
    void shouldRejectWhenResourcesSpanTwoTargets() {
        // when
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> PostgresAccess.of(List.of(
                new GrantedResource("postgres", "orders-db/public.orders", List.of("SELECT")),
                new GrantedResource("postgres", "payroll-db/public.salaries", List.of("SELECT")))));

        // then
        assertTrue(e.getMessage().contains("one target"), e.getMessage());
    }

    @Test
    void shouldRejectWhenPostgresMixedWithAnotherResourceType() {
        // when / then
        assertThrows(InvalidEventException.class, () -> PostgresAccess.of(List.of(
                new GrantedResource("postgres", "orders-db/public.orders", List.of("SELECT")),
                new GrantedResource("http", "orders-api", List.of("read")))));
    }

    @Test
    void shouldNameRoleAfterCredentialIdWhenAsked() {
        // given
        UUID credentialId = UUID.fromString("0b1db75b-9e83-4626-bd68-a54fc0852535");

        // when
        String role = PostgresAccess.roleName(credentialId);

        // then
        assertEquals("jit_0b1db75b9e834626bd68a54fc0852535", role);
        assertTrue(PostgresAccess.isRoleName(role));
        assertFalse(PostgresAccess.isRoleName("postgres"));
    }
}
