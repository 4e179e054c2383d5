package io.jitbroker.policy.domain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a policy document (YAML, see {@code policies/dev-example.yaml} for the format) and
 * validates all of it before anything is allowed: unknown keys, missing fields, wrong types,
 * non-positive or non-integer numbers, duplicate keys or rule ids, rules naming environments
 * the policy does not define, and conditions that do not compile or type-check as CEL are all
 * errors that name the offending field. A typo must stop the
 * service, never silently widen or narrow access.
 */
public final class PolicyParser {

    private static final Set<String> POLICY_KEYS = Set.of("version", "maxTtlSeconds", "environments", "rules");
    private static final Set<String> RULE_KEYS =
            Set.of("id", "description", "effect", "workload", "environments", "resources", "condition", "maxTtlSeconds");
    private static final Set<String> RESOURCE_KEYS = Set.of("type", "ids", "actions");

    private PolicyParser() {
    }

    /**
     * @param yaml   the document
     * @param source where it came from, for error messages (a path or {@code classpath:...})
     * @throws InvalidPolicyException naming the source and the first problem found
     */
    public static Policy parse(String yaml, String source) {
        Object document;
        try {
            document = newYaml().load(yaml);
        } catch (YAMLException e) {
            throw new InvalidPolicyException("policy " + source + " is not valid YAML: " + e.getMessage(), e);
        }
        try {
            return readPolicy(document);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException("policy " + source + " is invalid: " + e.getMessage(), e);
        }
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        // A repeated key would silently override the first one: refuse it.
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        return new Yaml(new SafeConstructor(options));
    }

    private static Policy readPolicy(Object document) {
        if (document == null) {
            throw new IllegalArgumentException("the document is empty");
        }
        Node root = Node.mapping(document, "the top level", POLICY_KEYS);
        String version = root.requiredString("version");
        long maxTtlSeconds = root.requiredPositiveLong("maxTtlSeconds");
        Set<String> environments = root.requiredStrings("environments");
        List<Object> ruleItems = root.requiredList("rules", false);

        List<PolicyRule> rules = new ArrayList<>();
        Set<String> ruleIds = new HashSet<>();
        for (int i = 0; i < ruleItems.size(); i++) {
            PolicyRule rule = readRule(Node.mapping(ruleItems.get(i), "rules[" + i + "]", RULE_KEYS), environments);
            if (!ruleIds.add(rule.id())) {
                throw new IllegalArgumentException("rules[" + i + "].id: rule id '" + rule.id() + "' is used twice");
            }
            rules.add(rule);
        }
        return new Policy(version, maxTtlSeconds, environments, rules);
    }

    private static PolicyRule readRule(Node rule, Set<String> policyEnvironments) {
        String id = rule.requiredString("id");
        String description = rule.optionalString("description");
        Effect effect = readEffect(rule);
        GlobPattern workload = rule.requiredPattern("workload");
        if (!workload.text().startsWith("spiffe://")) {
            throw new IllegalArgumentException(rule.path("workload") + ": must be a SPIFFE ID or pattern starting with spiffe://, got '"
                    + workload.text() + "'");
        }
        Set<String> environments = rule.requiredStrings("environments");
        Set<String> unknown = new TreeSet<>(environments);
        unknown.removeAll(policyEnvironments);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(rule.path("environments") + ": " + unknown
                    + " not among the policy's environments " + new TreeSet<>(policyEnvironments));
        }
        List<Object> resourceItems = rule.requiredList("resources", true);
        List<ResourceRule> resources = new ArrayList<>();
        for (int i = 0; i < resourceItems.size(); i++) {
            Node resource = Node.mapping(resourceItems.get(i), rule.path("resources") + "[" + i + "]", RESOURCE_KEYS);
            resources.add(new ResourceRule(resource.requiredString("type"), resource.requiredPatterns("ids"),
                    resource.requiredStrings("actions")));
        }
        OptionalLong maxTtlSeconds = rule.optionalPositiveLong("maxTtlSeconds");
        if (effect == Effect.DENY && maxTtlSeconds.isPresent()) {
            throw new IllegalArgumentException(rule.path("maxTtlSeconds") + ": a deny rule grants nothing, so it cannot cap a ttl");
        }
        return new PolicyRule(id, description, workload, environments, resources, maxTtlSeconds, effect,
                readCondition(rule, id));
    }

    private static Effect readEffect(Node rule) {
        String effect = rule.optionalString("effect");
        if (effect == null) {
            return Effect.ALLOW;
        }
        for (Effect known : Effect.values()) {
            if (known.label().equals(effect)) {
                return known;
            }
        }
        throw new IllegalArgumentException(rule.path("effect") + ": must be allow or deny, got '" + effect + "'");
    }

    /** Compiled and type-checked now, so that a broken expression stops the service instead of denying at run time. */
    private static Optional<Condition> readCondition(Node rule, String ruleId) {
        String expression = rule.optionalString("condition");
        if (expression == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Condition.compile(expression));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rule.path("condition") + ": rule '" + ruleId + "' has an invalid condition '"
                    + expression + "': " + e.getMessage(), e);
        }
    }

    /** One YAML mapping and where it sits in the document, with typed, path-naming accessors. */
    private record Node(Map<?, ?> map, String where) {

        static Node mapping(Object value, String where, Set<String> allowedKeys) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(where + ": must be a mapping with keys " + new TreeSet<>(allowedKeys)
                        + ", got " + describe(value));
            }
            for (Object key : map.keySet()) {
                if (!(key instanceof String name) || !allowedKeys.contains(name)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + key + "' (allowed: "
                            + String.join(", ", new TreeSet<>(allowedKeys)) + ")");
                }
            }
            return new Node(map, where);
        }

        String path(String key) {
            return where.equals("the top level") ? key : where + "." + key;
        }

        private Object required(String key) {
            Object value = map.get(key);
            if (value == null) {
                throw new IllegalArgumentException(path(key) + ": is missing");
            }
            return value;
        }

        String requiredString(String key) {
            return string(required(key), path(key));
        }

        String optionalString(String key) {
            Object value = map.get(key);
            return value == null ? null : string(value, path(key));
        }

        long requiredPositiveLong(String key) {
            return positiveLong(required(key), path(key));
        }

        OptionalLong optionalPositiveLong(String key) {
            Object value = map.get(key);
            return value == null ? OptionalLong.empty() : OptionalLong.of(positiveLong(value, path(key)));
        }

        List<Object> requiredList(String key, boolean nonEmpty) {
            Object value = required(key);
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(path(key) + ": must be a list, got " + describe(value));
            }
            if (nonEmpty && list.isEmpty()) {
                throw new IllegalArgumentException(path(key) + ": must not be empty");
            }
            return new ArrayList<>(list);
        }

        Set<String> requiredStrings(String key) {
            List<Object> items = requiredList(key, true);
            Set<String> values = new LinkedHashSet<>();
            for (int i = 0; i < items.size(); i++) {
                values.add(string(items.get(i), path(key) + "[" + i + "]"));
            }
            return values;
        }

        GlobPattern requiredPattern(String key) {
            return pattern(requiredString(key), path(key));
        }

        List<GlobPattern> requiredPatterns(String key) {
            List<GlobPattern> patterns = new ArrayList<>();
            int i = 0;
            for (String text : requiredStrings(key)) {
                patterns.add(pattern(text, path(key) + "[" + i++ + "]"));
            }
            return patterns;
        }

        private static GlobPattern pattern(String text, String path) {
            try {
                return GlobPattern.compile(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
        }

        private static String string(Object value, String path) {
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(path + ": must be a string, got " + describe(value)
                        + " (quote it if it is meant as text)");
            }
            if (text.isBlank()) {
                throw new IllegalArgumentException(path + ": must not be blank");
            }
            return text;
        }

        private static long positiveLong(Object value, String path) {
            boolean whole = value instanceof Integer || value instanceof Long
                    || (value instanceof BigInteger big && big.bitLength() < Long.SIZE);
            if (!whole || ((Number) value).longValue() <= 0) {
                throw new IllegalArgumentException(path + ": must be a positive whole number of seconds, got "
                        + describe(value));
            }
            return ((Number) value).longValue();
        }

        private static String describe(Object value) {
            if (value == null) {
                return "nothing";
            }
            if (value instanceof String text) {
                return "'" + text + "'";
            }
            if (value instanceof Map<?, ?>) {
                return "a mapping";
            }
            if (value instanceof List<?>) {
                return "a list";
            }
            return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
        }
    }
}
