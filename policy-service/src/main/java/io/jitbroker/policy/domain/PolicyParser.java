package io.jitbroker.policy.domain;

import io.jitbroker.policy.domain.yaml.YamlFields;
import io.jitbroker.policy.domain.yaml.YamlNodes;
import io.jitbroker.policy.domain.yaml.YamlProblem;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a policy bundle (YAML, see {@code policies/dev-example.yaml} for the format) and validates
 * all of it before anything is allowed: unknown or repeated keys, missing fields, wrong types,
 * numbers that are not positive whole numbers, repeated rule ids, environments the policy does
 * not declare, and conditions that do not compile or type-check as CEL are all errors naming the
 * line and the field. A typo must stop the load, never silently widen or narrow access.
 *
 * <p>The document is composed into SnakeYAML nodes (not constructed into Java objects) so that
 * every value keeps its line, and so that no YAML tag can build anything; {@link YamlFields} reads
 * them, this class knows the policy language.
 */
public final class PolicyParser {

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
        } catch (YamlProblem e) {
            throw InvalidPolicyException.in(source, "is invalid", OptionalInt.of(e.line()), e.getMessage(), e.getCause());
        }
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        return new Yaml(options);
    }

    /** Reads one document; holds the conditions compiled so far, so that a repeated expression is compiled once. */
    private static final class Reader {

        private final Map<String, Condition> conditions = new HashMap<>();

        Policy policy(Node document) {
            YamlFields root = YamlFields.of(document, YamlFields.TOP_LEVEL, POLICY_KEYS);
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
                YamlFields rule = YamlFields.of(ruleItems.get(i), "rules[" + i + "]", RULE_KEYS);
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
                throw new YamlProblem(YamlNodes.line(document), e.getMessage(), e);
            }
        }

        private static Set<EnvironmentPair> separation(YamlFields root, Set<String> environments) {
            Set<EnvironmentPair> pairs = new LinkedHashSet<>();
            List<Node> items = root.optionalList("separation");
            for (int i = 0; i < items.size(); i++) {
                String path = root.path("separation") + "[" + i + "]";
                Node item = items.get(i);
                if (!(item instanceof SequenceNode pair) || pair.getValue().size() != 2) {
                    throw new YamlProblem(item, path + ": must be a pair of environments such as [prod, dev], got "
                            + YamlNodes.describe(item));
                }
                String one = YamlNodes.string(pair.getValue().get(0), path + "[0]");
                String other = YamlNodes.string(pair.getValue().get(1), path + "[1]");
                requireDeclared(environments, one, pair.getValue().get(0), path + "[0]");
                requireDeclared(environments, other, pair.getValue().get(1), path + "[1]");
                if (one.equals(other)) {
                    throw new YamlProblem(item, path + ": an environment cannot be separated from itself ('" + one + "')");
                }
                pairs.add(EnvironmentPair.of(one, other));
            }
            return pairs;
        }

        private static List<EnvironmentBinding> bindings(YamlFields root, Set<String> environments) {
            List<EnvironmentBinding> bindings = new ArrayList<>();
            List<Node> items = root.optionalList("bindings");
            for (int i = 0; i < items.size(); i++) {
                YamlFields binding = YamlFields.of(items.get(i), root.path("bindings") + "[" + i + "]", BINDING_KEYS);
                GlobPattern workload = spiffePattern(binding, "workload");
                String environment = binding.requiredString("environment");
                requireDeclared(environments, environment, binding.node("environment"), binding.path("environment"));
                bindings.add(new EnvironmentBinding(workload, environment));
            }
            return bindings;
        }

        private static Caps caps(YamlFields root) {
            YamlFields caps = root.optionalMapping("caps", CAPS_KEYS);
            if (caps == null) {
                return Caps.none();
            }
            return new Caps(caps.optionalPositiveInt("maxResourcesPerRequest"), caps.optionalPositiveInt("maxActiveGrantsPerWorkload"),
                    caps.optionalPositiveInt("maxGrantsPerTask"));
        }

        private static long breakGlassMaxTtl(YamlFields root) {
            YamlFields breakGlass = root.optionalMapping("breakGlass", BREAK_GLASS_KEYS);
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

        private PolicyRule rule(YamlFields rule, Set<String> policyEnvironments) {
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
                YamlFields resource = YamlFields.of(resourceItems.get(i), rule.path("resources") + "[" + i + "]", RESOURCE_KEYS);
                resources.add(new ResourceRule(resource.requiredString("type"),
                        resource.requiredDistinctStrings("ids", GlobPattern::compile), resource.requiredStrings("actions")));
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

        private static Effect effect(YamlFields rule) {
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
        private Optional<Condition> condition(YamlFields rule) {
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
                throw new YamlProblem(expressionLine(rule.node("condition"), e.expressionLine()),
                        rule.path("condition") + ": " + e.getMessage(), e);
            }
        }

        /** The document line of a line of the expression: only a literal block (|) keeps the expression's own lines. */
        private static int expressionLine(Node value, int lineInExpression) {
            if (value instanceof ScalarNode scalar) {
                DumperOptions.ScalarStyle style = scalar.getScalarStyle();
                if (style == DumperOptions.ScalarStyle.LITERAL) {
                    return YamlNodes.line(value) + lineInExpression;
                }
                if (style == DumperOptions.ScalarStyle.FOLDED) {
                    return YamlNodes.line(value) + 1;
                }
            }
            return YamlNodes.line(value);
        }

        private static GlobPattern spiffePattern(YamlFields fields, String key) {
            GlobPattern pattern = fields.requiredString(key, GlobPattern::compile);
            if (!pattern.text().startsWith("spiffe://")) {
                throw fields.problem(key, "must be a SPIFFE ID or pattern starting with spiffe://, got '" + pattern.text() + "'");
            }
            return pattern;
        }

        private static void requireDeclared(Set<String> environments, String environment, Node node, String path) {
            if (!environments.contains(environment)) {
                throw new YamlProblem(node, path + ": '" + environment + "' is not among the policy's environments "
                        + new TreeSet<>(environments));
            }
        }
    }
}
