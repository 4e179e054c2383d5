package io.jitbroker.policy.domain;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a policy bundle (YAML, see {@code policies/dev-example.yaml} for the format) and validates
 * all of it before anything is allowed: unknown or repeated keys, missing fields, wrong types,
 * numbers that are not positive whole numbers, repeated rule ids, environments the policy does
 * not declare, and conditions that do not compile or type-check as CEL are all errors naming the
 * line and the field. A typo must stop the load, never silently widen or narrow access.
 *
 * <p>The document is composed into SnakeYAML nodes (not constructed into Java objects) so that
 * every value keeps its line, and so that no YAML tag can build anything.
 */
public final class PolicyParser {

    private static final String TOP_LEVEL = "the top level";
    private static final Set<String> POLICY_KEYS = Set.of("version", "maxTtlSeconds", "environments", "rules",
            "separation", "environmentClaim", "bindings", "caps", "breakGlass", "approvalTimeoutSeconds");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "effect", "workload", "environments",
            "resources", "condition", "maxTtlSeconds", "breakGlass", "requireApproval");
    private static final Set<String> RESOURCE_KEYS = Set.of("type", "ids", "actions");
    private static final Set<String> BINDING_KEYS = Set.of("workload", "environment");
    private static final Set<String> CAPS_KEYS = Set.of("maxResourcesPerRequest", "maxActiveGrantsPerWorkload", "maxGrantsPerTask");
    private static final Set<String> BREAK_GLASS_KEYS = Set.of("maxTtlSeconds");
    /** A bundle of many thousand rules fits; a runaway document does not. */
    private static final int MAX_DOCUMENT_CODE_POINTS = 16 * 1024 * 1024;

    private PolicyParser() {
    }

    /**
     * @param yaml   the document
     * @param source where it came from, for error messages (a path, {@code classpath:...} or a bundle name)
     * @throws InvalidPolicyException naming the source, the line and the first problem found
     */
    public static Policy parse(String yaml, String source) {
        Node document;
        try {
            document = newYaml().compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            OptionalInt line = mark == null ? OptionalInt.empty() : OptionalInt.of(mark.getLine() + 1);
            String problem = (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem();
            throw InvalidPolicyException.in(source, "is not valid YAML", line, problem, e);
        } catch (YAMLException e) {
            throw InvalidPolicyException.in(source, "is not valid YAML", OptionalInt.empty(), e.getMessage(), e);
        }
        if (document == null) {
            throw InvalidPolicyException.in(source, "is invalid", OptionalInt.empty(), "the document is empty", null);
        }
        try {
            return new Reader().policy(document);
        } catch (Problem e) {
            throw InvalidPolicyException.in(source, "is invalid", OptionalInt.of(e.line), e.getMessage(), e.getCause());
        }
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        return new Yaml(options);
    }

    /** One problem in the document, at a line (1-based). */
    private static final class Problem extends RuntimeException {
        private final int line;

        Problem(Node node, String message) {
            this(line(node), message, null);
        }

        Problem(int line, String message, Throwable cause) {
            super(message, cause, false, false);
            this.line = line;
        }
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** Reads one document; holds the conditions compiled so far, so that a repeated expression is compiled once. */
    private static final class Reader {

        private final Map<String, Condition> conditions = new HashMap<>();

        Policy policy(Node document) {
            Fields root = Fields.of(document, TOP_LEVEL, POLICY_KEYS);
            String version = root.requiredString("version");
            long maxTtlSeconds = root.requiredPositiveLong("maxTtlSeconds", "seconds");
            Set<String> environments = root.requiredStrings("environments");

            Set<EnvironmentPair> separation = separation(root, environments);
            Optional<String> environmentClaim = Optional.ofNullable(root.optionalString("environmentClaim"));
            List<EnvironmentBinding> bindings = bindings(root, environments);
            Caps caps = caps(root);
            long breakGlassMaxTtl = breakGlassMaxTtl(root);
            long approvalTimeout = root.optionalPositiveLong("approvalTimeoutSeconds", "seconds")
                    .orElse(Policy.DEFAULT_APPROVAL_TIMEOUT_SECONDS);

            List<PolicyRule> rules = new ArrayList<>();
            Map<String, Integer> ruleLines = new HashMap<>();
            List<Node> ruleItems = root.requiredList("rules", false);
            for (int i = 0; i < ruleItems.size(); i++) {
                Fields rule = Fields.of(ruleItems.get(i), "rules[" + i + "]", RULE_KEYS);
                PolicyRule parsed = rule(rule, environments);
                Integer firstLine = ruleLines.putIfAbsent(parsed.id(), rule.line("id"));
                if (firstLine != null) {
                    throw rule.problem("id", "rule id '" + parsed.id() + "' is used twice (first at line " + firstLine + ")");
                }
                rules.add(parsed);
            }
            try {
                return new Policy(version, maxTtlSeconds, environments, rules, separation, environmentClaim, bindings, caps,
                        breakGlassMaxTtl, approvalTimeout);
            } catch (IllegalArgumentException e) {
                throw new Problem(line(document), e.getMessage(), e);
            }
        }

        private static Set<EnvironmentPair> separation(Fields root, Set<String> environments) {
            Set<EnvironmentPair> pairs = new LinkedHashSet<>();
            List<Node> items = root.optionalList("separation");
            for (int i = 0; i < items.size(); i++) {
                String path = root.path("separation") + "[" + i + "]";
                Node item = items.get(i);
                if (!(item instanceof SequenceNode pair) || pair.getValue().size() != 2) {
                    throw new Problem(item, path + ": must be a pair of environments such as [prod, dev], got " + describe(item));
                }
                String one = Fields.string(pair.getValue().get(0), path + "[0]");
                String other = Fields.string(pair.getValue().get(1), path + "[1]");
                requireDeclared(environments, one, pair.getValue().get(0), path + "[0]");
                requireDeclared(environments, other, pair.getValue().get(1), path + "[1]");
                if (one.equals(other)) {
                    throw new Problem(item, path + ": an environment cannot be separated from itself ('" + one + "')");
                }
                pairs.add(EnvironmentPair.of(one, other));
            }
            return pairs;
        }

        private static List<EnvironmentBinding> bindings(Fields root, Set<String> environments) {
            List<EnvironmentBinding> bindings = new ArrayList<>();
            List<Node> items = root.optionalList("bindings");
            for (int i = 0; i < items.size(); i++) {
                Fields binding = Fields.of(items.get(i), root.path("bindings") + "[" + i + "]", BINDING_KEYS);
                GlobPattern workload = spiffePattern(binding, "workload");
                String environment = binding.requiredString("environment");
                requireDeclared(environments, environment, binding.node("environment"), binding.path("environment"));
                bindings.add(new EnvironmentBinding(workload, environment));
            }
            return bindings;
        }

        private static Caps caps(Fields root) {
            Fields caps = root.optionalMapping("caps", CAPS_KEYS);
            if (caps == null) {
                return Caps.none();
            }
            return new Caps(caps.optionalPositiveInt("maxResourcesPerRequest"), caps.optionalPositiveInt("maxActiveGrantsPerWorkload"),
                    caps.optionalPositiveInt("maxGrantsPerTask"));
        }

        private static long breakGlassMaxTtl(Fields root) {
            Fields breakGlass = root.optionalMapping("breakGlass", BREAK_GLASS_KEYS);
            if (breakGlass == null) {
                return Policy.DEFAULT_BREAK_GLASS_TTL_SECONDS;
            }
            OptionalLong maxTtl = breakGlass.optionalPositiveLong("maxTtlSeconds", "seconds");
            if (maxTtl.isPresent() && maxTtl.getAsLong() > Policy.BREAK_GLASS_TTL_CEILING_SECONDS) {
                throw breakGlass.problem("maxTtlSeconds", "at most " + Policy.BREAK_GLASS_TTL_CEILING_SECONDS
                        + " s (a break-glass grant is short by design), got " + maxTtl.getAsLong());
            }
            return maxTtl.orElse(Policy.DEFAULT_BREAK_GLASS_TTL_SECONDS);
        }

        private PolicyRule rule(Fields rule, Set<String> policyEnvironments) {
            String id = rule.requiredString("id");
            String description = rule.optionalString("description");
            Effect effect = effect(rule);
            GlobPattern workload = spiffePattern(rule, "workload");
            Set<String> environments = rule.requiredStrings("environments");
            Set<String> unknown = new TreeSet<>(environments);
            unknown.removeAll(policyEnvironments);
            if (!unknown.isEmpty()) {
                throw rule.problem("environments", unknown + " not among the policy's environments " + new TreeSet<>(policyEnvironments));
            }
            List<Node> resourceItems = rule.requiredList("resources", true);
            List<ResourceRule> resources = new ArrayList<>();
            for (int i = 0; i < resourceItems.size(); i++) {
                Fields resource = Fields.of(resourceItems.get(i), rule.path("resources") + "[" + i + "]", RESOURCE_KEYS);
                resources.add(new ResourceRule(resource.requiredString("type"), resource.requiredPatterns("ids"),
                        resource.requiredStrings("actions")));
            }
            OptionalLong maxTtlSeconds = rule.optionalPositiveLong("maxTtlSeconds", "seconds");
            boolean breakGlass = rule.optionalBoolean("breakGlass");
            boolean requireApproval = rule.optionalBoolean("requireApproval");
            if (effect == Effect.DENY) {
                for (String grantOnly : List.of("maxTtlSeconds", "breakGlass", "requireApproval")) {
                    if (rule.has(grantOnly)) {
                        throw rule.problem(grantOnly, "a deny rule grants nothing, so it cannot "
                                + switch (grantOnly) {
                                    case "maxTtlSeconds" -> "cap a ttl";
                                    case "breakGlass" -> "be break-glass (deny rules apply to break-glass requests too)";
                                    default -> "require approval";
                                });
                    }
                }
            }
            return new PolicyRule(id, description, workload, environments, resources, maxTtlSeconds, effect,
                    condition(rule), breakGlass, requireApproval);
        }

        private static Effect effect(Fields rule) {
            String effect = rule.optionalString("effect");
            if (effect == null) {
                return Effect.ALLOW;
            }
            for (Effect known : Effect.values()) {
                if (known.label().equals(effect)) {
                    return known;
                }
            }
            throw rule.problem("effect", "must be allow or deny, got '" + effect + "'");
        }

        /** Compiled and type-checked now, so that a broken expression stops the load instead of denying at run time. */
        private Optional<Condition> condition(Fields rule) {
            String expression = rule.optionalString("condition");
            if (expression == null) {
                return Optional.empty();
            }
            Condition known = conditions.get(expression);
            if (known != null) {
                return Optional.of(known);
            }
            try {
                Condition condition = Condition.compile(expression);
                conditions.put(expression, condition);
                return Optional.of(condition);
            } catch (InvalidConditionException e) {
                throw new Problem(expressionLine(rule.node("condition"), e.expressionLine()),
                        rule.path("condition") + ": " + e.getMessage(), e);
            }
        }

        /** The document line of a line of the expression: only a literal block (|) keeps the expression's own lines. */
        private static int expressionLine(Node value, int lineInExpression) {
            if (value instanceof ScalarNode scalar) {
                DumperOptions.ScalarStyle style = scalar.getScalarStyle();
                if (style == DumperOptions.ScalarStyle.LITERAL) {
                    return line(value) + lineInExpression;
                }
                if (style == DumperOptions.ScalarStyle.FOLDED) {
                    return line(value) + 1;
                }
            }
            return line(value);
        }

        private static GlobPattern spiffePattern(Fields fields, String key) {
            GlobPattern pattern = fields.requiredPattern(key);
            if (!pattern.text().startsWith("spiffe://")) {
                throw fields.problem(key, "must be a SPIFFE ID or pattern starting with spiffe://, got '" + pattern.text() + "'");
            }
            return pattern;
        }

        private static void requireDeclared(Set<String> environments, String environment, Node node, String path) {
            if (!environments.contains(environment)) {
                throw new Problem(node, path + ": '" + environment + "' is not among the policy's environments "
                        + new TreeSet<>(environments));
            }
        }
    }

    /** One YAML mapping and where it sits in the document, with typed accessors whose errors name the path and line. */
    private static final class Fields {

        private final MappingNode mapping;
        private final String where;
        private final Map<String, NodeTuple> entries;

        private Fields(MappingNode mapping, String where, Map<String, NodeTuple> entries) {
            this.mapping = mapping;
            this.where = where;
            this.entries = entries;
        }

        static Fields of(Node node, String where, Set<String> allowedKeys) {
            if (!(node instanceof MappingNode mapping)) {
                throw new Problem(node, where + ": must be a mapping with keys " + new TreeSet<>(allowedKeys) + ", got " + describe(node));
            }
            Map<String, NodeTuple> entries = new LinkedHashMap<>();
            for (NodeTuple entry : mapping.getValue()) {
                Node key = entry.getKeyNode();
                String name = key instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR) ? scalar.getValue() : null;
                if (name == null || !allowedKeys.contains(name)) {
                    throw new Problem(key, where + ": unknown key " + (key instanceof ScalarNode scalar ? "'" + scalar.getValue() + "'"
                            : describe(key)) + " (allowed: " + String.join(", ", new TreeSet<>(allowedKeys)) + ")");
                }
                NodeTuple first = entries.putIfAbsent(name, entry);
                if (first != null) {
                    // A repeated key would silently override the first one in most readers: refuse it.
                    throw new Problem(key, where + ": duplicate key " + name + " (first at line " + PolicyParser.line(first.getKeyNode()) + ")");
                }
            }
            return new Fields(mapping, where, entries);
        }

        String path(String key) {
            return where.equals(TOP_LEVEL) ? key : where + "." + key;
        }

        Problem problem(String key, String message) {
            NodeTuple entry = entries.get(key);
            return new Problem(entry == null ? mapping : entry.getValueNode(), path(key) + ": " + message);
        }

        int line(String key) {
            return PolicyParser.line(node(key));
        }

        boolean has(String key) {
            return node(key) != null;
        }

        /** The value, or null when the key is absent or its value is YAML null ({@code key:} with nothing after it). */
        Node node(String key) {
            NodeTuple entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            Node value = entry.getValueNode();
            return value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL) ? null : value;
        }

        private Node required(String key) {
            Node value = node(key);
            if (value == null) {
                throw new Problem(entries.containsKey(key) ? entries.get(key).getKeyNode() : mapping, path(key) + ": is missing");
            }
            return value;
        }

        String requiredString(String key) {
            return string(required(key), path(key));
        }

        String optionalString(String key) {
            Node value = node(key);
            return value == null ? null : string(value, path(key));
        }

        long requiredPositiveLong(String key, String unit) {
            return positiveLong(required(key), path(key), unit);
        }

        OptionalLong optionalPositiveLong(String key, String unit) {
            Node value = node(key);
            return value == null ? OptionalLong.empty() : OptionalLong.of(positiveLong(value, path(key), unit));
        }

        OptionalInt optionalPositiveInt(String key) {
            Node value = node(key);
            if (value == null) {
                return OptionalInt.empty();
            }
            long number = positiveLong(value, path(key), null);
            if (number > Integer.MAX_VALUE) {
                throw new Problem(value, path(key) + ": must be at most " + Integer.MAX_VALUE + ", got " + number);
            }
            return OptionalInt.of((int) number);
        }

        boolean optionalBoolean(String key) {
            Node value = node(key);
            if (value == null) {
                return false;
            }
            if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
                String text = scalar.getValue().toLowerCase(Locale.ROOT);
                if (text.equals("true") || text.equals("false")) {
                    return text.equals("true");
                }
            }
            throw new Problem(value, path(key) + ": must be true or false, got " + describe(value));
        }

        Fields optionalMapping(String key, Set<String> allowedKeys) {
            Node value = node(key);
            return value == null ? null : of(value, path(key), allowedKeys);
        }

        List<Node> requiredList(String key, boolean nonEmpty) {
            return list(required(key), key, nonEmpty);
        }

        List<Node> optionalList(String key) {
            Node value = node(key);
            return value == null ? List.of() : list(value, key, false);
        }

        private List<Node> list(Node value, String key, boolean nonEmpty) {
            if (!(value instanceof SequenceNode sequence)) {
                throw new Problem(value, path(key) + ": must be a list, got " + describe(value));
            }
            if (nonEmpty && sequence.getValue().isEmpty()) {
                throw new Problem(value, path(key) + ": must not be empty");
            }
            return sequence.getValue();
        }

        Set<String> requiredStrings(String key) {
            List<Node> items = requiredList(key, true);
            Set<String> values = new LinkedHashSet<>();
            for (int i = 0; i < items.size(); i++) {
                values.add(string(items.get(i), path(key) + "[" + i + "]"));
            }
            return values;
        }

        GlobPattern requiredPattern(String key) {
            return pattern(required(key), path(key));
        }

        List<GlobPattern> requiredPatterns(String key) {
            List<Node> items = requiredList(key, true);
            List<GlobPattern> patterns = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                GlobPattern pattern = pattern(items.get(i), path(key) + "[" + i + "]");
                if (!patterns.contains(pattern)) {
                    patterns.add(pattern);
                }
            }
            return patterns;
        }

        private static GlobPattern pattern(Node node, String path) {
            String text = string(node, path);
            try {
                return GlobPattern.compile(text);
            } catch (IllegalArgumentException e) {
                throw new Problem(PolicyParser.line(node), path + ": " + e.getMessage(), e);
            }
        }

        static String string(Node value, String path) {
            if (!(value instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
                throw new Problem(value, path + ": must be a string, got " + describe(value) + " (quote it if it is meant as text)");
            }
            if (scalar.getValue().isBlank()) {
                throw new Problem(value, path + ": must not be blank");
            }
            return scalar.getValue();
        }

        /** A decimal whole number above zero that fits a long; {@code unit} names what it counts, if anything. */
        private static long positiveLong(Node value, String path, String unit) {
            String what = "must be a positive whole number" + (unit == null ? "" : " of " + unit);
            if (!(value instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.INT)
                    || !scalar.getValue().matches("[-+]?[0-9][0-9_]*")) {
                throw new Problem(value, path + ": " + what + ", got " + describe(value));
            }
            BigInteger number = new BigInteger(scalar.getValue().replace("_", ""));
            if (number.signum() <= 0 || number.bitLength() >= Long.SIZE) {
                throw new Problem(value, path + ": " + what + ", got " + describe(value));
            }
            return number.longValue();
        }
    }

    /** How an error message shows a value it did not expect. */
    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (!(node instanceof ScalarNode scalar)) {
            return "nothing";
        }
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        if (tag.equals(Tag.STR)) {
            return "'" + value + "'";
        }
        if (tag.equals(Tag.NULL)) {
            return "nothing";
        }
        if (tag.equals(Tag.INT)) {
            return "integer " + value;
        }
        if (tag.equals(Tag.FLOAT)) {
            return "double " + value;
        }
        if (tag.equals(Tag.BOOL)) {
            return "boolean " + value.toLowerCase(Locale.ROOT).matches("y|yes|true|on");
        }
        if (tag.equals(Tag.TIMESTAMP)) {
            return "date " + value;
        }
        return tag.getValue() + " " + value;
    }
}
