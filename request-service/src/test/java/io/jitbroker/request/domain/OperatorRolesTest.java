package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OperatorRolesTest {

    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String DETECTOR = "spiffe://dev.local/security/edr";
    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";

    @Test
    void shouldLetDetectorsAndSresReportAndOnlySresRevokeWhenBothAreListed() {
        // given
        OperatorRoles roles = OperatorRoles.fromLists(SRE, " " + DETECTOR + " ,");

        // then
        assertTrue(roles.mayReportContext(DETECTOR));
        assertTrue(roles.mayReportContext(SRE));
        assertFalse(roles.mayReportContext(WORKLOAD));
        assertTrue(roles.mayRevoke(SRE));
        assertFalse(roles.mayRevoke(DETECTOR));
        assertFalse(roles.mayRevoke(WORKLOAD));
    }

    @Test
    void shouldLetOnlySresClearWhenAWorkloadIsCleared() {
        // given
        OperatorRoles roles = OperatorRoles.fromLists(SRE, DETECTOR);

        // then a detector may raise, only a human clears
        assertTrue(roles.mayReport(DETECTOR, ContextEventKind.WORKLOAD_COMPROMISED));
        assertFalse(roles.mayReport(DETECTOR, ContextEventKind.WORKLOAD_CLEARED));
        assertTrue(roles.mayReport(SRE, ContextEventKind.WORKLOAD_CLEARED));
        assertTrue(roles.mayReport(SRE, ContextEventKind.RISK_RAISED));
        assertFalse(roles.mayReport(WORKLOAD, ContextEventKind.WORKLOAD_CLEARED));
    }

    @Test
    void shouldLetOnlySresApproveWhenBothAreListed() {
        // given
        OperatorRoles roles = OperatorRoles.fromLists(SRE, DETECTOR);

        // then
        assertTrue(roles.mayApprove(SRE));
        assertFalse(roles.mayApprove(DETECTOR));
        assertFalse(roles.mayApprove(WORKLOAD));
    }

    @Test
    void shouldLetOnlySresReadTheWholeLedgerWhenBothAreListed() {
        // given
        OperatorRoles roles = OperatorRoles.fromLists(SRE, DETECTOR);

        // then
        assertTrue(roles.mayAudit(SRE));
        assertFalse(roles.mayAudit(DETECTOR));
        assertFalse(roles.mayAudit(WORKLOAD));
    }

    @Test
    void shouldLetNobodyInWhenNothingIsListed() {
        // given
        OperatorRoles roles = OperatorRoles.fromLists("", null);

        // then
        assertFalse(roles.mayReportContext(SRE));
        assertFalse(roles.mayRevoke(SRE));
        assertFalse(roles.mayApprove(SRE));
        assertFalse(roles.mayAudit(SRE));
        assertFalse(roles.mayReport(SRE, ContextEventKind.WORKLOAD_CLEARED));
        assertEquals(0, roles.detectorCount());
    }

    @Test
    void shouldRefuseTheConfigurationWhenADetectorIsNotASpiffeId() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OperatorRoles.fromLists(SRE, "edr"));

        // then
        assertEquals("detector workload 'edr' is not a SPIFFE ID (spiffe://<trust domain>/<path>)", error.getMessage());
    }
}
