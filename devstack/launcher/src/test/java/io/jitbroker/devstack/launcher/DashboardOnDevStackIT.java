package io.jitbroker.devstack.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.testkit.Browser;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The SRE dashboard in a real headless Chromium against the whole dev stack (infrastructure plus
 * four service JVMs, example policy): what an SRE clicks goes through the real policy-service,
 * issuer-service and revocation-service, and the ledger follows.
 */
class DashboardOnDevStackIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String SRE = DevStackOptions.DEV_SRE_WORKLOAD;

    private static Browser browser;
    private static WebDriver driver;
    private static TestStack stack;
    private static WalkthroughClient client;

    @BeforeAll
    static void start() {
        // First, so that a machine without Chromium fails at once with the line to install it.
        browser = Browser.startHeadless();
        driver = browser.driver();
        stack = TestStack.start("dashboard-it");
        client = stack.client();
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void shouldChangeTheLedgerWhenAnSreApprovesAndThenRevokesByClicking() {
        // given: a prod write for a change, which the example policy holds for a human
        String deployerToken = client.tokenFor(DEPLOYER);
        var accepted = client.postJson(client.requestServiceUrl() + "/v1/access-requests", deployerToken, """
                {"taskId":"task-%s","environment":"prod",
                 "resources":[{"type":"http","id":"inventory-api","actions":["write"]}],
                 "ttlSeconds":600,"justification":"release CHG-123"}""".formatted(UUID.randomUUID()));
        assertEquals(202, accepted.status(), accepted.raw());
        String requestId = accepted.body().get("requestId").asText();
        client.awaitStatus(requestId, deployerToken, "PENDING_APPROVAL");

        // when: the SRE signs in to the dashboard
        signIn(client.tokenFor(SRE));

        // then: the request is rendered, waiting for a reason
        WebElement pending = awaitRow("approvals-table", "data-request-id", requestId);
        assertTrue(pending.getText().contains(DEPLOYER) && pending.getText().contains("release CHG-123"),
                pending.getText());
        assertFalse(pending.findElement(By.cssSelector("button.approve")).isEnabled(), "approving needs a reason");

        // when: the SRE gives a reason and clicks Approve
        pending.findElement(By.cssSelector("input.reason")).sendKeys("CHG-123 reviewed");
        awaitRow("approvals-table", "data-request-id", requestId).findElement(By.cssSelector("button.approve")).click();

        // then: policy decides again, the issuer issues, and the ledger names the approver
        var issued = client.awaitStatus(requestId, deployerToken, "ISSUED");
        assertEquals(SRE, issued.body().path("approvedBy").asText(), issued.raw());
        String grantId = issued.body().get("grantId").asText();

        // and: the page moves it from the approvals queue (now empty) to the active grants
        refreshUntil(() -> rows("approvals-table", "data-request-id", requestId).isEmpty()
                && !rows("grants-table", "data-grant-id", grantId).isEmpty());

        // when: the page lists the grant as active and the SRE revokes it with a reason
        awaitRow("grants-table", "data-grant-id", grantId).findElement(By.cssSelector("button.revoke-grant")).click();
        awaitTrue(() -> displayed("revoke-form"));
        assertFalse(driver.findElement(By.id("revoke-confirm")).isEnabled(), "revoking needs a reason");
        driver.findElement(By.id("revoke-reason")).sendKeys("INC-8 token pasted in a public log");
        driver.findElement(By.id("revoke-confirm")).click();

        // then: the revocation-service revokes it, and the ledger says why
        var revoked = client.awaitStatus(requestId, deployerToken, "REVOKED");
        assertEquals("MANUAL", revoked.body().path("revocationReason").asText(), revoked.raw());
        // The revoker words the detail itself (scope, who asked); the SRE's reason is in it, verbatim.
        String detail = revoked.body().path("revocationDetail").asText();
        assertTrue(detail.contains("INC-8 token pasted in a public log") && detail.contains(SRE), revoked.raw());
        refreshUntil(() -> rows("grants-table", "data-grant-id", grantId).isEmpty()
                && !rows("revocations-table", "data-grant-id", grantId).isEmpty());
        String listed = awaitRow("revocations-table", "data-grant-id", grantId).getText();
        assertTrue(listed.contains("MANUAL") && listed.contains("INC-8 token pasted in a public log"), listed);
    }

    private static void signIn(String token) {
        driver.get(client.requestServiceUrl() + "/dashboard/");
        awaitTrue(() -> displayed("sign-in"));
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.id("sign-in-button")).click();
        awaitTrue(() -> displayed("panels"));
        assertEquals(SRE, driver.findElement(By.id("whoami")).getText());
    }

    private static boolean displayed(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    private static List<WebElement> rows(String table, String attribute, String value) {
        return driver.findElements(By.cssSelector("#" + table + " tbody tr[" + attribute + "='" + value + "']"));
    }

    /** The row, once the page shows it. */
    private static WebElement awaitRow(String table, String attribute, String value) {
        refreshUntil(() -> !rows(table, attribute, value).isEmpty());
        return rows(table, attribute, value).get(0);
    }

    /** Clicks the page's Refresh button until the condition holds, as an impatient SRE would. */
    private static void refreshUntil(Callable<Boolean> condition) {
        try {
            await().atMost(WalkthroughClient.FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                if (Boolean.TRUE.equals(condition.call())) {
                    return true;
                }
                driver.findElement(By.id("refresh")).click();
                return false;
            });
        } catch (ConditionTimeoutException e) {
            // What the SRE would have seen is the quickest way to tell the page from the ledger.
            throw new AssertionError(e.getMessage() + "; the page shows:\n" + driver.findElement(By.tagName("main")).getText(), e);
        }
    }

    private static void awaitTrue(Callable<Boolean> condition) {
        await().atMost(WalkthroughClient.FLOW_TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }
}
