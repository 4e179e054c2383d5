package io.jitbroker.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The client of jit-broker's HTTP API (docs/API.md): a workload asks for access, waits for the
 * decision, picks its credential up and reports its task's events; an SRE reads the ledger, answers
 * approvals and revokes. Thread-safe; one instance per set of services. Every call sends the token
 * the supplier gives at that moment, so a rotated token (e.g. {@link TokenFile}) is used at once.
 * Errors the services answer are {@link JitApiException}s with the server's error code and message;
 * a service that cannot be reached is a {@link JitException}.
 *
 * <pre>{@code
 * JitClient jit = JitClient.builder()
 *         .requestServiceUrl("http://127.0.0.1:8080")
 *         .issuerServiceUrl("http://127.0.0.1:8081")
 *         .token(new TokenFile(Path.of("/run/spiffe/jwt-svid")))
 *         .build();
 * }</pre>
 */
public final class JitClient {

    /** The longest a single GET may ask the request service to wait (its limit). */
    static final Duration MAX_SERVER_WAIT = Duration.ofSeconds(30);

    private final URI requestService;
    private final URI issuerService;
    private final URI policyService;
    private final Supplier<String> token;
    private final DpopProofs dpopProofs;
    private final HttpClient http;
    private final Duration callTimeout;
    private final Duration pollInterval;
    private final String traceParent;
    private final ObjectMapper json = JitJson.mapper();

    private JitClient(Builder builder) {
        this.requestService = requireUrl(builder.requestService, "requestServiceUrl");
        this.issuerService = requireUrl(builder.issuerService, "issuerServiceUrl");
        this.policyService = builder.policyService == null ? null : requireUrl(builder.policyService, "policyServiceUrl");
        this.token = Objects.requireNonNull(builder.token, "token");
        this.dpopProofs = builder.dpopProofs;
        this.callTimeout = builder.callTimeout;
        this.pollInterval = builder.pollInterval;
        this.traceParent = builder.traceParent;
        this.http = builder.http != null ? builder.http
                : HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // --- a workload's calls --------------------------------------------------------------------

    /** Asks for access with a fresh Idempotency-Key. */
    public RequestAccepted requestAccess(AccessRequest request) {
        return requestAccess(request, UUID.randomUUID().toString());
    }

    /**
     * Asks for access. The same key with the same request answers the same request id, so a call that
     * failed on the way can be sent again safely; the same key with another request is a 409.
     */
    public RequestAccepted requestAccess(AccessRequest request, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("taskId", request.taskId());
        body.put("environment", request.environment());
        body.put("resources", request.resources());
        body.put("ttlSeconds", request.ttl().toSeconds());
        body.put("justification", request.justification());
        if (request.heartbeatInterval() != null) {
            body.put("heartbeatIntervalSeconds", request.heartbeatInterval().toSeconds());
        }
        if (request.breakGlass()) {
            body.put("breakGlass", true);
        }
        if (request.dpopJkt() != null) {
            body.put("dpopJkt", request.dpopJkt());
        }
        HttpRequest.Builder call = post(requestService, "/v1/access-requests", body)
                .header("Idempotency-Key", Objects.requireNonNull(idempotencyKey, "idempotencyKey"));
        return read(send("POST /v1/access-requests", call), RequestAccepted.class);
    }

    /** The ledger entry of a request, as it stands now (the requesting workload or an SRE). */
    public LedgerEntry status(String requestId) {
        return status(requestId, Duration.ZERO);
    }

    /**
     * The ledger entry, answered as soon as the request is no longer on its way (issued, denied,
     * waiting for an approval) or when {@code wait} (at most 30 s) is over.
     */
    public LedgerEntry status(String requestId, Duration wait) {
        String path = "/v1/access-requests/" + segment(requestId);
        String query = wait.isZero() ? "" : "?wait=" + Math.min(wait.toMillis(), MAX_SERVER_WAIT.toMillis()) + "ms";
        HttpRequest.Builder call = request(requestService, path + query, callTimeout.plus(wait)).GET();
        return read(send("GET " + path, call), LedgerEntry.class);
    }

    /**
     * Waits until the request is settled: ISSUED (pick the credential up), DENIED (by policy, by an SRE,
     * or because nobody approved it before its deadline) or already REVOKED. The listener sees each new
     * status as it comes, e.g. PENDING_APPROVAL with its {@code approvalDeadline}. While a request waits
     * for an SRE the service answers at once, so it is asked again every poll interval. A service that
     * is briefly unavailable (503, no connection) is asked again until the timeout.
     *
     * @throws JitTimeoutException when the timeout passes first, with the entry as last seen
     */
    public LedgerEntry awaitOutcome(String requestId, Duration timeout, AwaitListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LedgerEntry last = null;
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            boolean serverWaited = false;
            try {
                LedgerEntry entry = status(requestId, left.isNegative() ? Duration.ZERO : left);
                if (last == null || !last.status().equals(entry.status())) {
                    listener.statusChanged(entry);
                }
                last = entry;
                if (entry.settled()) {
                    return entry;
                }
                serverWaited = !entry.pendingApproval();
            } catch (JitApiException e) {
                if (!e.retryable()) {
                    throw e;
                }
            } catch (TransportException e) {
                // the service is restarting or unreachable for a moment: ask again until the timeout
            }
            left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new JitTimeoutException("request " + requestId + " was not settled within " + timeout
                        + (last == null ? " (the service never answered)" : "; it is " + last.status()), last);
            }
            if (!serverWaited) {
                pause(left.compareTo(pollInterval) < 0 ? left : pollInterval);
            }
        }
    }

    /**
     * Picks the grant's credential up: once, only by the workload it is bound to. With a DPoP proof
     * supplier, the call carries a fresh proof for the grant's DPoP key.
     *
     * @throws JitApiException 410 on a second pickup or a revoked or expired grant, 403 for anyone else
     */
    public Credential pickUp(String grantId) {
        String path = "/v1/grants/" + segment(grantId) + "/credential";
        HttpRequest.Builder call = request(issuerService, path, callTimeout).GET();
        if (dpopProofs != null) {
            call.header("DPoP", dpopProofs.proof("GET", issuerService.resolve(path)));
        }
        JsonNode body = read(send("GET " + path, call), JsonNode.class);
        String type = body.path("type").asText();
        Instant expiresAt = Instant.parse(body.path("expiresAt").asText());
        if ("jwt".equals(type)) {
            return new JwtCredential(body.path("credential").asText(), body.path("tokenType").asText("Bearer"), expiresAt);
        }
        if ("postgres".equals(type)) {
            return new PostgresCredential(body.path("host").asText(), body.path("port").asInt(),
                    body.path("database").asText(), body.path("username").asText(), body.path("password").asText(),
                    expiresAt);
        }
        // never the body: it holds the secret
        throw new JitException("GET " + path + " answered a credential of unknown type '" + type + "'");
    }

    /**
     * Reports an event of the workload's own task; COMPLETED, FAILED and CANCELLED revoke its grants.
     *
     * @return the event id
     */
    public String reportTaskEvent(String taskId, TaskEventType type) {
        String path = "/v1/tasks/" + segment(taskId) + "/events";
        HttpRequest.Builder call = post(requestService, path, Map.of("type", type.name()));
        return read(send("POST " + path, call), JsonNode.class).path("eventId").asText();
    }

    public String started(String taskId) {
        return reportTaskEvent(taskId, TaskEventType.STARTED);
    }

    public String heartbeat(String taskId) {
        return reportTaskEvent(taskId, TaskEventType.HEARTBEAT);
    }

    public String complete(String taskId) {
        return reportTaskEvent(taskId, TaskEventType.COMPLETED);
    }

    public String fail(String taskId) {
        return reportTaskEvent(taskId, TaskEventType.FAILED);
    }

    public String cancel(String taskId) {
        return reportTaskEvent(taskId, TaskEventType.CANCELLED);
    }

    // --- an SRE's calls ------------------------------------------------------------------------

    /** One page of the ledger, newest first (SREs only). */
    public LedgerPage ledger(LedgerQuery query) {
        String parameters = query.parameters().entrySet().stream()
                .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = "/v1/ledger" + (parameters.isEmpty() ? "" : "?" + parameters);
        return read(send("GET /v1/ledger", request(requestService, path, callTimeout).GET()), LedgerPage.class);
    }

    /** Approves a request waiting for an SRE (not one the SRE's own identity made). */
    public ApprovalAccepted approve(String requestId, String reason) {
        return answerApproval(requestId, true, reason);
    }

    /** Refuses a request waiting for an SRE: it becomes DENIED with APPROVAL_DENIED. */
    public ApprovalAccepted deny(String requestId, String reason) {
        return answerApproval(requestId, false, reason);
    }

    private ApprovalAccepted answerApproval(String requestId, boolean approve, String reason) {
        String path = "/v1/access-requests/" + segment(requestId) + "/approval";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("approve", approve);
        body.put("reason", reason);
        return read(send("POST " + path, post(requestService, path, body)), ApprovalAccepted.class);
    }

    /** Revokes one grant (MANUAL, with the reason as detail). */
    public RevocationAccepted revokeGrant(String grantId, String reason) {
        return revoke(Map.of("scope", "GRANT", "grantId", grantId, "reason", reason));
    }

    /** Revokes every grant of a task; {@code workloadId} may be null unless several workloads used the task id. */
    public RevocationAccepted revokeTask(String taskId, String workloadId, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", "TASK");
        body.put("taskId", taskId);
        if (workloadId != null) {
            body.put("workloadId", workloadId);
        }
        body.put("reason", reason);
        return revoke(body);
    }

    /** Revokes every active grant of a workload. */
    public RevocationAccepted revokeWorkload(String workloadId, String reason) {
        return revoke(Map.of("scope", "WORKLOAD", "workloadId", workloadId, "reason", reason));
    }

    private RevocationAccepted revoke(Map<String, Object> body) {
        return read(send("POST /v1/revocations", post(requestService, "/v1/revocations", body)), RevocationAccepted.class);
    }

    // --- a policy admin's calls (policy-service) ----------------------------------------------

    /**
     * Publishes a policy bundle (policy admins only): the YAML document as written, one version.
     *
     * @throws JitApiException 400 {@code invalid_policy} naming the line, 409 {@code version_conflict}
     */
    public PolicyPublication publishPolicy(String yamlDocument) {
        HttpRequest.Builder call = request(policyService(), "/v1/policy/bundles", callTimeout)
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yamlDocument, StandardCharsets.UTF_8));
        HttpResponse<String> response = exchange("POST /v1/policy/bundles", call);
        JsonNode body = read(response.body(), JsonNode.class);
        return new PolicyPublication(response.statusCode(), text(body, "name"), text(body, "version"),
                text(body, "previousVersion"));
    }

    /** What policy would decide for a hypothetical request, rule by rule (admins and SREs); publishes nothing. */
    public PolicyExplanation explainPolicy(PolicyQuestion question) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workloadId", question.workloadId());
        body.put("environment", question.environment());
        body.put("resources", question.resources());
        body.put("ttlSeconds", question.ttl().toSeconds());
        if (question.justification() != null) {
            body.put("justification", question.justification());
        }
        if (question.proposedBundle() != null) {
            body.put("proposedBundle", question.proposedBundle());
        }
        return read(send("POST /v1/policy/explain", post(policyService(), "/v1/policy/explain", body)),
                PolicyExplanation.class);
    }

    private URI policyService() {
        if (policyService == null) {
            throw new IllegalStateException("no policy-service URL: set policyServiceUrl on the builder");
        }
        return policyService;
    }

    private static String text(JsonNode body, String field) {
        return body.path(field).isTextual() ? body.get(field).asText() : null;
    }

    // --- HTTP ----------------------------------------------------------------------------------

    private HttpRequest.Builder request(URI service, String pathAndQuery, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve(pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token.get());
        return traceParent == null ? request : request.header("traceparent", traceParent);
    }

    private HttpRequest.Builder post(URI service, String path, Object body) {
        try {
            return request(service, path, callTimeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new JitException("cannot write the body of " + path + ": " + e.getOriginalMessage(), e);
        }
    }

    /** @return the body of a 2xx answer; any other status is a {@link JitApiException} */
    private String send(String call, HttpRequest.Builder request) {
        return exchange(call, request).body();
    }

    /** @return a 2xx answer; any other status is a {@link JitApiException} */
    private HttpResponse<String> exchange(String call, HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TransportException(call + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JitException(call + " was interrupted", e);
        }
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        throw apiError(call, response);
    }

    private JitApiException apiError(String call, HttpResponse<String> response) {
        int status = response.statusCode();
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(JitClient::seconds).orElse(null);
        String error = "http_" + status;
        String message = abbreviate(response.body());
        try {
            JsonNode body = json.readTree(response.body());
            if (body != null && body.path("error").isTextual()) {
                error = body.get("error").asText();
                message = body.path("message").asText(message);
            }
        } catch (JsonProcessingException e) {
            // not JSON (a proxy's page, an empty body): keep the status as the code and the text as the message
        }
        return new JitApiException(call, status, error, message, retryAfter);
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            // the message only: a credential's body must never reach an exception
            throw new JitException("cannot read the answer as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    private static String segment(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "id"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JitException("interrupted while waiting", e);
        }
    }

    private static URI requireUrl(String url, String name) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        URI uri = URI.create(url.endsWith("/") ? url : url + "/");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(name + " must be an http or https URL, got '" + url + "'");
        }
        return uri;
    }

    /** The service could not be reached: no answer at all (connection refused, reset, timed out). */
    static final class TransportException extends JitException {
        TransportException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Builder {
        private String requestService;
        private String issuerService;
        private String policyService;
        private Supplier<String> token;
        private DpopProofs dpopProofs;
        private HttpClient http;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration callTimeout = Duration.ofSeconds(15);
        private Duration pollInterval = Duration.ofSeconds(1);
        private String traceParent;

        private Builder() {
        }

        /**
         * A W3C {@code traceparent} sent with every call ({@link TraceParent#newTrace()} for a task), so the
         * services' spans of this client's calls and of the events they cause form one trace; none by default.
         */
        public Builder traceParent(String traceParent) {
            this.traceParent = traceParent;
            return this;
        }

        /** request-service, e.g. {@code http://127.0.0.1:8080} (the dev stack's). */
        public Builder requestServiceUrl(String url) {
            this.requestService = url;
            return this;
        }

        /** issuer-service, e.g. {@code http://127.0.0.1:8081} (the dev stack's). */
        public Builder issuerServiceUrl(String url) {
            this.issuerService = url;
            return this;
        }

        /** policy-service, e.g. {@code http://127.0.0.1:8082}: only for publishing and explaining policy. */
        public Builder policyServiceUrl(String url) {
            this.policyService = url;
            return this;
        }

        /** Gives the workload token (a JWT-SVID) for each call: a {@link TokenFile}, or any supplier. */
        public Builder token(Supplier<String> token) {
            this.token = token;
            return this;
        }

        /** Adds a DPoP proof to credential pickups (for requests made with a {@code dpopJkt}). */
        public Builder dpopProofs(DpopProofs dpopProofs) {
            this.dpopProofs = dpopProofs;
            return this;
        }

        /** Another HTTP client (proxy, TLS settings); by default one with a 5 s connect timeout. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long one call may take, beyond the wait it asks for; default 15 s. */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
            return this;
        }

        /**
         * How often {@link JitClient#awaitOutcome} asks again while the service does not wait for it (an
         * approval pending, the service unavailable); default 1 s.
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        public JitClient build() {
            return new JitClient(this);
        }
    }

    /** Only for messages: the services this client talks to. */
    @Override
    public String toString() {
        return "JitClient[" + List.of(requestService, issuerService) + "]";
    }
}
