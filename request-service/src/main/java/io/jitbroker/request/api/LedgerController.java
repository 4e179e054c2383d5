package io.jitbroker.request.api;

import io.jitbroker.request.domain.DecisionTimeline;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.LedgerQuery;
import io.jitbroker.request.domain.LedgerQueryValidator;
import io.jitbroker.request.domain.Page;
import io.jitbroker.request.domain.PageCursor;
import io.jitbroker.request.domain.QueryParameters;
import io.jitbroker.request.persistence.LedgerSearch;
import io.jitbroker.request.persistence.LedgerStatistics;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Auditors' and SREs' view of the whole ledger: filtered, paged, newest first. SREs only. */
@Controller("/v1/ledger")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LedgerController {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerController.class);

    private final SreAccess sres;
    private final LedgerQueryValidator validator;
    private final LedgerSearch search;
    private final LedgerStatistics statistics;
    private final Clock clock;

    public LedgerController(SreAccess sres, LedgerQueryValidator validator, LedgerSearch search,
                            LedgerStatistics statistics, Clock clock) {
        this.sres = sres;
        this.validator = validator;
        this.search = search;
        this.statistics = statistics;
        this.clock = clock;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public LedgerPage search(HttpRequest<?> request, Authentication authentication) {
        sres.requireSre(authentication.getName(), "the ledger");
        LedgerQuery query = validator.parse(new QueryParameters(request.getParameters().asMap()), clock.instant());
        Page<LedgerEntry> page = search.search(query);
        LOG.debug("{} queried the ledger: {} entries", authentication.getName(), page.items().size());
        return new LedgerPage(page.items().stream().map(AccessRequestView::of).toList(), encode(page.next()));
    }

    @Get(uri = "/decisions-per-minute", produces = MediaType.APPLICATION_JSON)
    public DecisionTimelineView decisionsPerMinute(HttpRequest<?> request, Authentication authentication) {
        sres.requireSre(authentication.getName(), "the ledger");
        DecisionTimeline.Window window = DecisionTimeline.window(new QueryParameters(request.getParameters().asMap()),
                clock.instant());
        return DecisionTimelineView.of(window, DecisionTimeline.fill(window, statistics.decisionsPerMinute(window)));
    }

    /** The cursor as clients see it: an opaque token, or null on the last page. */
    static String encode(PageCursor cursor) {
        return cursor == null ? null : cursor.encode();
    }
}
