package io.jitbroker.request.api;

import io.jitbroker.request.domain.AlertRecord;
import io.jitbroker.request.domain.DeadLetterRecord;
import io.jitbroker.request.domain.Page;
import io.jitbroker.request.domain.PageRequest;
import io.jitbroker.request.domain.QueryParameters;
import io.jitbroker.request.persistence.OperationalRecords;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.util.Set;

/** What SREs watch besides the ledger: every service's dead letters and policy's alerts. SREs only. */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperationsController {

    private static final Set<String> PAGE_PARAMETERS = Set.of(PageRequest.LIMIT, PageRequest.CURSOR);

    private final SreAccess sres;
    private final OperationalRecords records;

    public OperationsController(SreAccess sres, OperationalRecords records) {
        this.sres = sres;
        this.records = records;
    }

    @Get(uri = "/v1/dead-letters", produces = MediaType.APPLICATION_JSON)
    public DeadLetterPage deadLetters(HttpRequest<?> request, Authentication authentication) {
        sres.requireSre(authentication.getName(), "the dead letters");
        Page<DeadLetterRecord> page = records.deadLetters(page(request));
        return new DeadLetterPage(page.items().stream().map(DeadLetterView::of).toList(), LedgerController.encode(page.next()));
    }

    @Get(uri = "/v1/alerts", produces = MediaType.APPLICATION_JSON)
    public AlertPage alerts(HttpRequest<?> request, Authentication authentication) {
        sres.requireSre(authentication.getName(), "the alerts");
        Page<AlertRecord> page = records.alerts(page(request));
        return new AlertPage(page.items().stream().map(AlertView::of).toList(), LedgerController.encode(page.next()));
    }

    private static PageRequest page(HttpRequest<?> request) {
        return PageRequest.from(new QueryParameters(request.getParameters().asMap()).allowOnly(PAGE_PARAMETERS));
    }
}
