package io.jitbroker.request.domain;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules an access request body must pass before anything is stored or published. Every
 * failure names its field; the first failure wins.
 */
public final class AccessRequestValidator {

    public static final int MAX_RESOURCES = 50;
    public static final int MAX_ACTIONS = 32;
    public static final int MAX_JUSTIFICATION_LENGTH = 1000;
    /** An emergency must be explained: at least this many non-blank characters of justification. */
    public static final int MIN_BREAK_GLASS_JUSTIFICATION = 10;
    /** Shorter intervals would turn heartbeats into load, and miss them on any hiccup. */
    public static final long MIN_HEARTBEAT_INTERVAL_SECONDS = 5;
    public static final int MAX_TYPE_LENGTH = 64;
    public static final int MAX_ID_LENGTH = 512;
    public static final int MAX_ACTION_LENGTH = 64;
    public static final String TASK_ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";
    /** An RFC 7638 SHA-256 thumbprint: 32 bytes as base64url without padding. */
    public static final String JWK_THUMBPRINT_PATTERN = "[A-Za-z0-9_-]{43}";
    private static final Pattern TASK_ID = Pattern.compile(TASK_ID_PATTERN);
    /** Same alphabet as task ids: UUIDs and the like fit, nothing that needs escaping in logs. */
    private static final Pattern IDEMPOTENCY_KEY = TASK_ID;
    private static final Pattern JWK_THUMBPRINT = Pattern.compile(JWK_THUMBPRINT_PATTERN);

    private final KnownEnvironments environments;
    private final long maxTtlSeconds;

    /**
     * @param environments  the environments a workload may ask for (JIT_ENVIRONMENTS)
     * @param maxTtlSeconds the longest access anyone may ask for (JIT_MAX_TTL_SECONDS)
     */
    public AccessRequestValidator(Set<String> environments, long maxTtlSeconds) {
        if (maxTtlSeconds <= 0) {
            throw new IllegalArgumentException("the maximum ttl must be positive, was " + maxTtlSeconds);
        }
        this.environments = new KnownEnvironments(environments);
        this.maxTtlSeconds = maxTtlSeconds;
    }

    /** Checks a task id wherever it appears (body or path); {@code field} names it in the error. */
    public static String requireTaskId(String field, Object value) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        if (!(value instanceof String taskId) || !TASK_ID.matcher(taskId).matches()) {
            throw new InvalidRequestException(field,
                    field + " must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return taskId;
    }

    /** Checks an Idempotency-Key header; null means the client sent none. */
    public static String requireIdempotencyKeyOrNull(String value) {
        if (value != null && !IDEMPOTENCY_KEY.matcher(value).matches()) {
            throw new InvalidRequestException("Idempotency-Key",
                    "Idempotency-Key must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return value;
    }

    /** @param body the request body as the workload sent it */
    public ValidAccessRequest validate(AccessRequestFields body) {
        Objects.requireNonNull(body, "body");
        String taskId = requireTaskId("taskId", body.taskId());
        String environment = environments.require("environment", body.environment());
        List<RequestedResource> resources = resources(body.resources());
        long ttlSeconds = ttlSeconds(body.ttlSeconds());
        Long heartbeatIntervalSeconds = heartbeatIntervalSeconds(body.heartbeatIntervalSeconds(), ttlSeconds);
        String justification = JsonFields.requiredText("justification", body.justification(), MAX_JUSTIFICATION_LENGTH);
        boolean breakGlass = Boolean.TRUE.equals(body.breakGlass());
        if (breakGlass) {
            requireBreakGlassJustification(justification);
        }
        String dpopJkt = dpopJkt(body.dpopJkt());
        return new ValidAccessRequest(taskId, environment, resources, ttlSeconds, heartbeatIntervalSeconds, justification,
                breakGlass, dpopJkt);
    }

    private static void requireBreakGlassJustification(String justification) {
        long meaningful = justification.codePoints().filter(c -> !Character.isWhitespace(c)).count();
        if (meaningful < MIN_BREAK_GLASS_JUSTIFICATION) {
            throw new InvalidRequestException("justification", "justification must have at least "
                    + MIN_BREAK_GLASS_JUSTIFICATION + " non-blank characters for a break-glass request: say what the emergency is");
        }
    }

    /** Optional; when set, the credential is bound to this DPoP key (RFC 9449 cnf.jkt). */
    private static String dpopJkt(String thumbprint) {
        if (thumbprint == null) {
            return null;
        }
        if (!JWK_THUMBPRINT.matcher(thumbprint).matches()
                || !isCanonicalSha256(thumbprint)) {
            throw new InvalidRequestException("dpopJkt", "dpopJkt must be an RFC 7638 JWK SHA-256 thumbprint:"
                    + " 43 characters of base64url without padding");
        }
        return thumbprint;
    }

    /** The last character carries 2 spare bits, which must be zero: otherwise two spellings would name one key. */
    private static boolean isCanonicalSha256(String thumbprint) {
        byte[] digest = Base64.getUrlDecoder().decode(thumbprint);
        return digest.length == 32 && Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(thumbprint);
    }

    private List<RequestedResource> resources(List<? extends AccessRequestFields.ResourceFields> items) {
        if (items == null) {
            throw new InvalidRequestException("resources", "resources is required");
        }
        if (items.isEmpty()) {
            throw new InvalidRequestException("resources", "resources must name at least one resource");
        }
        if (items.size() > MAX_RESOURCES) {
            throw new InvalidRequestException("resources", "resources must name at most " + MAX_RESOURCES + " resources");
        }
        List<RequestedResource> resources = new ArrayList<>(items.size());
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            RequestedResource resource = resource("resources[" + i + "]", items.get(i));
            if (!seen.add(List.of(resource.type(), resource.id()))) {
                throw new InvalidRequestException("resources[" + i + "]",
                        "resources[" + i + "] repeats type '" + resource.type() + "' and id '" + resource.id()
                                + "': list each resource once with all its actions");
            }
            resources.add(resource);
        }
        return resources;
    }

    private static RequestedResource resource(String field, AccessRequestFields.ResourceFields resource) {
        if (resource == null) {
            throw new InvalidRequestException(field, field + " must be an object");
        }
        String type = JsonFields.requiredText(field + ".type", resource.type(), MAX_TYPE_LENGTH);
        String id = JsonFields.requiredText(field + ".id", resource.id(), MAX_ID_LENGTH);
        String actionsField = field + ".actions";
        List<String> items = resource.actions();
        if (items == null) {
            throw new InvalidRequestException(actionsField, actionsField + " is required");
        }
        if (items.isEmpty()) {
            throw new InvalidRequestException(actionsField, actionsField + " must name at least one action");
        }
        if (items.size() > MAX_ACTIONS) {
            throw new InvalidRequestException(actionsField, actionsField + " must name at most " + MAX_ACTIONS + " actions");
        }
        Set<String> actions = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            actions.add(JsonFields.requiredText(actionsField + "[" + i + "]", items.get(i), MAX_ACTION_LENGTH));
        }
        // The event contract wants actions sorted and distinct.
        return new RequestedResource(type, id, List.copyOf(new TreeSet<>(actions)));
    }

    private long ttlSeconds(Long value) {
        if (value == null) {
            throw new InvalidRequestException("ttlSeconds", "ttlSeconds is required");
        }
        long ttl = value;
        if (ttl <= 0) {
            throw new InvalidRequestException("ttlSeconds", "ttlSeconds must be greater than 0");
        }
        if (ttl > maxTtlSeconds) {
            throw new InvalidRequestException("ttlSeconds", "ttlSeconds must be at most " + maxTtlSeconds);
        }
        return ttl;
    }

    /** Optional; a heartbeat longer than the grant itself could never be missed, so it is refused. */
    private static Long heartbeatIntervalSeconds(Long interval, long ttlSeconds) {
        if (interval == null) {
            return null;
        }
        if (interval < MIN_HEARTBEAT_INTERVAL_SECONDS) {
            throw new InvalidRequestException("heartbeatIntervalSeconds",
                    "heartbeatIntervalSeconds must be at least " + MIN_HEARTBEAT_INTERVAL_SECONDS);
        }
        if (interval > ttlSeconds) {
            throw new InvalidRequestException("heartbeatIntervalSeconds",
                    "heartbeatIntervalSeconds must be at most ttlSeconds (" + ttlSeconds + ")");
        }
        return interval;
    }
}
