package io.jitbroker.request.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.Alert;
import io.jitbroker.events.v1.AlertKind;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.RevocationRequest;
import io.jitbroker.events.v1.RevocationScope;
import io.jitbroker.request.support.Api;
import io.jitbroker.testkit.Browser;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.Decisions;
import io.jitbroker.request.support.Events;
import io.jitbroker.request.support.Lifecycle;
import io.jitbroker.request.support.Lifecycle.Request;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.testkit.Tokens;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.contracts.DeadLetters;
import io.jitbroker.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The SRE dashboard in a real headless Chromium (Debian's, through chromedriver) against
 * request-service on real Kafka, registry and PostgreSQL. The test signs in by pasting a token,
 * clicks as an SRE would, reads what the clicks published from Kafka, and plays policy-service,
 * issuer-service and revocation-service (which do not run here) to see the page follow the ledger.
 */
class DashboardBrowserIT {

    private static final String SRE = "spiffe://dev.local/sre/oncall";
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String BUILDER = "spiffe://dev.local/ci/builder";

    private static Infrastructure infra;
    private static RunningService service;
    private static Tokens tokens;
    private static Events events;
    private static Lifecycle lifecycle;
    private static TopicProbe<ApprovalDecision> approvals;
    private static TopicProbe<RevocationRequest> revocationRequests;
    private static Browser browser;
    private static WebDriver driver;
    private static String dashboard;

    @BeforeAll
    static void start() {
        // First, so that a machine without Chromium fails at once with the line to install it.
        browser = Browser.startHeadless();
        driver = browser.driver();
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra, Map.of("JIT_SRE_WORKLOADS", SRE), Map.of());
        tokens = new Tokens(infra.identityProvider());
        events = Events.connect(infra);
        lifecycle = new Lifecycle(new Api(service), tokens, events, SRE);
        approvals = TopicProbe.onTopic(infra, Topics.APPROVALS);
        revocationRequests = TopicProbe.onTopic(infra, Topics.REVOCATION_REQUESTS);
        dashboard = service.server().getURL() + "/dashboard/";
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(browser, approvals, revocationRequests, events, service, infra);
    }

    @BeforeEach
    void forgetEarlierRecords() {
        approvals.skipToEnd();
        revocationRequests.skipToEnd();
    }

    @AfterEach
    void pageBrokeNoRuleAndThrewNothing() {
        // A blocked inline script or style, or an uncaught error, shows in the console.
        List<String> problems = browser.consoleEntries().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Refused to")
                        || message.contains("Uncaught"))
                .toList();
        assertEquals(List.of(), problems);
    }

    // ---- signing in ----

    @Test
    void shouldShowNotAnSreAndNothingElseWhenTheTokenIsNotAnSres() {
        // given something an SRE would see
        Request waiting = lifecycle.submit(DEPLOYER, "prod");
        lifecycle.askForApproval(waiting);

        // when
        signIn(DEPLOYER);

        // then
        awaitTrue(() -> displayed("not-sre"));
        assertTrue(driver.findElement(By.id("not-sre")).getText().contains("Not an SRE"));
        assertFalse(displayed("panels"));
        assertEquals(List.of(), driver.findElements(By.cssSelector("#panels tbody tr")));
        assertFalse(driver.getPageSource().contains(waiting.id()));
    }

    @Test
    void shouldAcceptTheIdentityProvidersWholeAnswerAsTheToken() {
        // when
        signInWith("{\"token\":\"" + tokens.valid(SRE) + "\",\"expiresIn\":900}");

        // then
        awaitTrue(() -> displayed("panels"));
        assertEquals(SRE, driver.findElement(By.id("whoami")).getText());
    }

    // ---- approvals ----

    @Test
    void shouldPublishTheApprovalAndFollowTheLedgerWhenAnSreApprovesByClicking() {
        // given a request waiting for an SRE
        Request request = lifecycle.submit(DEPLOYER, "prod", false, "hotfix for INC-7");
        lifecycle.askForApproval(request);
        signIn(SRE);

        // then it is listed
        WebElement row = awaitRow("approvals-table", "data-request-id", request.id());
        assertTrue(row.getText().contains(DEPLOYER) && row.getText().contains("hotfix for INC-7"), row.getText());
        assertFalse(row.findElement(By.cssSelector("button.approve")).isEnabled(), "approving needs a reason");

        // when the SRE gives a reason and clicks Approve
        row.findElement(By.cssSelector("input.reason")).sendKeys("INC-7 diff reviewed");
        awaitRow("approvals-table", "data-request-id", request.id()).findElement(By.cssSelector("button.approve")).click();

        // then exactly that approval is on Kafka
        ApprovalDecision approval = publishedApproval(request);
        assertTrue(approval.getApproved());
        assertEquals("INC-7 diff reviewed", approval.getReason());
        assertEquals(SRE, approval.getDecidedBy());
        assertEquals(DEPLOYER, approval.getWorkloadId());

        // when policy-service answers with the final decision and the issuer issues the grant
        events.send(Topics.ACCESS_DECISIONS, request.id(), Decisions.afterApproval(request.id(), DEPLOYER, request.taskId(),
                true, SRE, "INC-7 diff reviewed", Instant.now()).build());
        lifecycle.awaitStatus(request, "APPROVED");
        String grantId = lifecycle.issue(request, Duration.ofMinutes(10));

        // then the page follows: no longer waiting, now an active grant
        refreshUntil(() -> rows("approvals-table", "data-request-id", request.id()).isEmpty()
                && !rows("grants-table", "data-grant-id", grantId).isEmpty());
    }

    @Test
    void shouldPublishADenialWhenAnSreDeniesByClicking() {
        // given
        Request request = lifecycle.submit(BUILDER, "prod");
        lifecycle.askForApproval(request);
        signIn(SRE);

        // when
        awaitRow("approvals-table", "data-request-id", request.id()).findElement(By.cssSelector("input.reason"))
                .sendKeys("not during the freeze");
        awaitRow("approvals-table", "data-request-id", request.id()).findElement(By.cssSelector("button.deny")).click();

        // then
        ApprovalDecision denial = publishedApproval(request);
        assertFalse(denial.getApproved());
        assertEquals("not during the freeze", denial.getReason());
    }

    // ---- manual revocation ----

    @Test
    void shouldPublishTheRevocationRequestAndFollowTheLedgerWhenAnSreRevokesAGrantByClicking() {
        // given an active grant
        Request request = lifecycle.submit(DEPLOYER, "staging");
        lifecycle.approve(request, false);
        String grantId = lifecycle.issue(request, Duration.ofMinutes(10));
        signIn(SRE);

        // when the SRE clicks revoke on its row
        awaitRow("grants-table", "data-grant-id", grantId).findElement(By.cssSelector("button.revoke-grant")).click();

        // then a reason is asked for before anything can be sent
        awaitTrue(() -> displayed("revoke-form"));
        assertTrue(driver.findElement(By.id("revoke-title")).getText().contains(grantId));
        assertFalse(driver.findElement(By.id("revoke-confirm")).isEnabled());

        // when it gives one and confirms
        driver.findElement(By.id("revoke-reason")).sendKeys("INC-8 token pasted in a public log");
        driver.findElement(By.id("revoke-confirm")).click();

        // then the revocation request is on Kafka
        RevocationRequest sent = publishedRevocationRequest(r -> grantId.equals(r.getGrantId()));
        assertEquals(RevocationScope.GRANT, sent.getScope());
        assertEquals(DEPLOYER, sent.getWorkloadId());
        assertEquals(RevocationReason.MANUAL, sent.getReason());
        assertEquals("INC-8 token pasted in a public log", sent.getDetail());
        assertEquals(SRE, sent.getRequestedBy());
        awaitTrue(() -> driver.findElement(By.id("revoke-result")).getText().contains("Revocation requested"));

        // when the revoker revokes it
        lifecycle.revoke(request, grantId, RevocationReason.MANUAL, "INC-8 token pasted in a public log");

        // then it leaves the active grants and is listed as revoked, with its reason
        refreshUntil(() -> rows("grants-table", "data-grant-id", grantId).isEmpty()
                && !rows("revocations-table", "data-grant-id", grantId).isEmpty());
        String revoked = awaitRow("revocations-table", "data-grant-id", grantId).getText();
        assertTrue(revoked.contains("MANUAL") && revoked.contains("INC-8 token pasted in a public log"), revoked);
    }

    @Test
    void shouldPublishATaskWideRevocationWhenAnSreRevokesTheTaskByClicking() {
        // given
        Request request = lifecycle.submit(BUILDER, "dev");
        lifecycle.approve(request, false);
        String grantId = lifecycle.issue(request, Duration.ofMinutes(10));
        signIn(SRE);

        // when
        awaitRow("grants-table", "data-grant-id", grantId).findElement(By.cssSelector("button.revoke-task")).click();
        awaitTrue(() -> displayed("revoke-form"));
        driver.findElement(By.id("revoke-reason")).sendKeys("runner 12 compromised");
        driver.findElement(By.id("revoke-confirm")).click();

        // then
        RevocationRequest sent = publishedRevocationRequest(r -> request.taskId().equals(r.getTaskId()));
        assertEquals(RevocationScope.TASK, sent.getScope());
        assertEquals(BUILDER, sent.getWorkloadId());
        assertEquals("runner 12 compromised", sent.getDetail());
    }

    // ---- what stands out ----

    @Test
    void shouldHighlightBreakGlassGrantsAndListTheirAlerts() {
        // given a break-glass grant and policy's alert about it
        Request emergency = lifecycle.submit(BUILDER, "prod", true, "INC-9 prod down, restoring orders");
        lifecycle.approve(emergency, true);
        String grantId = lifecycle.issue(emergency, Duration.ofMinutes(10));
        String alertId = UUID.randomUUID().toString();
        events.send(Topics.ALERTS, BUILDER, Alert.newBuilder()
                .setAlertId(alertId).setKind(AlertKind.BREAK_GLASS_GRANTED).setWorkloadId(BUILDER)
                .setRequestId(emergency.id()).setTaskId(emergency.taskId()).setEnvironment("prod")
                .setSummary("BREAK-GLASS granted to builder for 600 s: INC-9 prod down")
                .setRaisedAt(Instant.now()).build());

        // when
        signIn(SRE);

        // then
        WebElement grant = awaitRow("grants-table", "data-grant-id", grantId);
        assertTrue(grant.getAttribute("class").contains("break-glass"), grant.getAttribute("class"));
        assertTrue(grant.getText().contains("BREAK-GLASS"), grant.getText());
        assertTrue(awaitRow("break-glass-table", "data-request-id", emergency.id()).getText()
                .contains("INC-9 prod down, restoring orders"));
        refreshUntil(() -> !rows("alerts-table", "data-alert-id", alertId).isEmpty());
        assertTrue(awaitRow("alerts-table", "data-alert-id", alertId).getText().contains("BREAK-GLASS granted to builder"));
    }

    @Test
    void shouldShowWhatWorkloadsWroteAsTextNeverAsMarkup() {
        // given a justification that is markup
        String markup = "<img src=x id=pwned onerror=alert(1)> <b>bold</b>";
        Request request = lifecycle.submit(DEPLOYER, "prod", false, markup);
        lifecycle.askForApproval(request);

        // when
        signIn(SRE);

        // then
        WebElement row = awaitRow("approvals-table", "data-request-id", request.id());
        assertTrue(row.getText().contains(markup), row.getText());
        assertEquals(List.of(), driver.findElements(By.id("pwned")));
        assertEquals(List.of(), row.findElements(By.tagName("b")));
    }

    @Test
    void shouldListDeadLettersAndDrawBothCharts() {
        // given a dead letter, a decision and a revocation
        events.send(Topics.DEAD_LETTERS, "k", DeadLetters.build("issuer-service.v1", Topics.GRANTS.name(), 1, 77,
                "garbage".getBytes(StandardCharsets.UTF_8), "RecordDeserializationException: unknown magic byte",
                Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        Request request = lifecycle.submit(DEPLOYER, "dev");
        lifecycle.approve(request, false);
        lifecycle.revoke(request, lifecycle.issue(request, Duration.ofMinutes(10)), RevocationReason.TASK_COMPLETED,
                "the task reported COMPLETED");

        // when
        signIn(SRE);

        // then
        refreshUntil(() -> !rows("dead-letters-table", "data-source", Topics.GRANTS.name() + "-1@77").isEmpty());
        String letter = awaitRow("dead-letters-table", "data-source", Topics.GRANTS.name() + "-1@77").getText();
        assertTrue(letter.contains("issuer-service.v1") && letter.contains("unknown magic byte") && letter.contains("7"),
                letter);
        awaitTrue(() -> !driver.findElements(By.cssSelector("#decisions-svg rect.bar")).isEmpty());
        awaitTrue(() -> !driver.findElements(By.cssSelector("#time-to-revoke-svg rect.bar")).isEmpty());
        awaitTrue(() -> driver.findElement(By.id("time-to-revoke-summary")).getText().contains("from issue to revocation"));
    }

    @Test
    void shouldRefuseToRunAnInlineScriptWhenOneIsSmuggledIntoThePage() {
        // given
        signIn(SRE);

        // when something manages to add an inline script to the page
        browser.script("const s = document.createElement('script'); s.textContent = 'window.smuggled = true;';"
                + " document.body.appendChild(s);");

        // then the Content-Security-Policy keeps it from running, and says so
        assertEquals(null, browser.script("return window.smuggled === undefined ? null : window.smuggled;"));
        awaitTrue(() -> browser.consoleEntries().stream().anyMatch(e -> e.getMessage().contains("Content Security Policy")));
    }

    // ---- helpers ----

    /** The ApprovalDecision the clicks published for {@code request}, read from Kafka. */
    private static ApprovalDecision publishedApproval(Request request) {
        return approvals.awaitRecord(r -> r.value().getRequestId().equals(request.id())).stream()
                .map(ConsumerRecord::value).filter(a -> a.getRequestId().equals(request.id())).findFirst().orElseThrow();
    }

    /** The RevocationRequest the clicks published, read from Kafka. */
    private static RevocationRequest publishedRevocationRequest(Predicate<RevocationRequest> wanted) {
        return revocationRequests.awaitRecord(r -> wanted.test(r.value())).stream()
                .map(ConsumerRecord::value).filter(wanted).findFirst().orElseThrow();
    }

    private static void signIn(String workload) {
        signInWith(tokens.valid(workload));
    }

    /** Opens the dashboard afresh (no token kept from an earlier test) and pastes {@code pasted}. */
    private static void signInWith(String pasted) {
        driver.get(dashboard);
        browser.script("window.sessionStorage.clear();");
        driver.get(dashboard);
        awaitTrue(() -> displayed("sign-in"));
        driver.findElement(By.id("token")).sendKeys(pasted);
        driver.findElement(By.id("sign-in-button")).click();
        awaitTrue(() -> displayed("panels") || displayed("not-sre"));
    }

    private static boolean displayed(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    private static List<WebElement> rows(String table, String attribute, String value) {
        return driver.findElements(By.cssSelector("#" + table + " tbody tr[" + attribute + "='" + value + "']"));
    }

    /** The row, once the page shows it (the page refreshes itself every few seconds). */
    private static WebElement awaitRow(String table, String attribute, String value) {
        refreshUntil(() -> !rows(table, attribute, value).isEmpty());
        return rows(table, attribute, value).get(0);
    }

    /** Clicks the page's Refresh button until the condition holds, as an impatient SRE would. */
    private static void refreshUntil(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            if (Boolean.TRUE.equals(condition.call())) {
                return true;
            }
            driver.findElement(By.id("refresh")).click();
            return false;
        });
    }

    private static void awaitTrue(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }
}
