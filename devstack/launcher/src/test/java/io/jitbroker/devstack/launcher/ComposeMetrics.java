package io.jitbroker.devstack.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric names on both sides of the dashboard: the Prometheus series a service exposes for each
 * meter its main code registers with Micrometer, and the metric names a PromQL expression reads.
 */
final class ComposeMetrics {

    /** {@code Counter.builder(NAME)}, {@code Timer.builder("jit.x")}, ... */
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|TimeGauge)\\.builder\\(\\s*(\"[^\"]+\"|[A-Z][A-Z0-9_]*)");
    /** {@code registry.counter(NAME, ...)} and the like. */
    private static final Pattern SHORTHAND = Pattern.compile("\\.(counter|timer|gauge|summary)\\(\\s*(\"[^\"]+\"|[A-Z][A-Z0-9_]*)");
    private static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]+)\"");

    /** A {@code <dependency>} on one of this repository's modules, with its scope if it has one. */
    private static final Pattern PROJECT_DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.jitbroker</groupId>\\s*<artifactId>([^<]+)</artifactId>(?:(?!</dependency>).)*</dependency>",
            Pattern.DOTALL);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    /** PromQL words that are not metric names (aggregations and modifiers; functions are followed by '('). */
    private static final Set<String> PROMQL_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "sum", "min", "max", "avg", "count",
            "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group");

    private ComposeMetrics() {
    }

    /**
     * Every series name the service's Micrometer meters appear under on /prometheus: those its own main
     * code registers, and those of the shared modules it runs with (micronaut-support's dead-letter
     * sender counts for every service).
     */
    static Set<String> exposedSeries(Path repositoryRoot, String service) {
        Set<String> series = new TreeSet<>();
        for (String module : modulesRunWith(repositoryRoot, service, new LinkedHashSet<>())) {
            series.addAll(registeredSeries(module, ComposeServiceVariables.mainSources(repositoryRoot.resolve(module))));
        }
        return series;
    }

    /** The series of the meters one module's code registers, their names resolved within that module. */
    private static Set<String> registeredSeries(String module, String code) {
        Map<String, String> constants = new HashMap<>();
        Matcher constant = CONSTANT.matcher(code);
        while (constant.find()) {
            constants.put(constant.group(1), constant.group(2));
        }
        Set<String> series = new TreeSet<>();
        for (Pattern registration : List.of(BUILDER, SHORTHAND)) {
            Matcher meter = registration.matcher(code);
            while (meter.find()) {
                String name = meter.group(2).startsWith("\"")
                        ? meter.group(2).substring(1, meter.group(2).length() - 1)
                        : constants.get(meter.group(2));
                if (name == null) {
                    throw new AssertionError(module + " registers a meter named by " + meter.group(2)
                            + ", a constant not found in its main sources");
                }
                series.addAll(prometheusSeries(meterType(meter.group(1)), name));
            }
        }
        return series;
    }

    /** The module and, transitively, every module of this repository it depends on outside test scope. */
    private static Set<String> modulesRunWith(Path repositoryRoot, String module, Set<String> found) {
        if (!found.add(module)) {
            return found;
        }
        Matcher dependency = PROJECT_DEPENDENCY.matcher(ComposeServiceVariables.read(repositoryRoot.resolve(module).resolve("pom.xml")));
        while (dependency.find()) {
            String artifact = dependency.group(1);
            boolean testOnly = dependency.group(0).contains("<scope>test</scope>");
            if (!testOnly && Files.isDirectory(repositoryRoot.resolve(artifact).resolve("src/main/java"))) {
                modulesRunWith(repositoryRoot, artifact, found);
            }
        }
        return found;
    }

    private static String meterType(String builderOrShorthand) {
        return switch (builderOrShorthand) {
            case "Counter", "FunctionCounter", "counter" -> "counter";
            case "Timer", "LongTaskTimer", "timer" -> "timer";
            case "DistributionSummary", "summary" -> "summary";
            default -> "gauge";
        };
    }

    /** Micrometer's Prometheus naming: dots and dashes become '_', counters get _total, timers _seconds. */
    static List<String> prometheusSeries(String type, String meterName) {
        String base = meterName.replaceAll("[^a-zA-Z0-9_:]", "_");
        return switch (type) {
            case "counter" -> List.of(base.endsWith("_total") ? base : base + "_total");
            case "timer" -> suffixes(base + "_seconds");
            case "summary" -> suffixes(base);
            default -> List.of(base);
        };
    }

    private static List<String> suffixes(String base) {
        return List.of(base + "_count", base + "_sum", base + "_max", base + "_bucket");
    }

    /** The metric names an expression reads (label names, functions, keywords and durations left out). */
    static Set<String> metricNames(String promql) {
        String stripped = promql
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ")                // string literals
                .replaceAll("\\{[^}]*}", " ")                            // label matchers
                .replaceAll("\\[[^]]*]", " ")                            // range and subquery durations
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String word = identifier.group();
            boolean function = stripped.substring(identifier.end()).stripLeading().startsWith("(");
            boolean number = identifier.start() > 0 && Character.isDigit(stripped.charAt(identifier.start() - 1));
            if (!function && !number && !PROMQL_KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }
}
