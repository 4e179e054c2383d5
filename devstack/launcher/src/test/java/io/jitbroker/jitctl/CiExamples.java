package io.jitbroker.jitctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The jitctl commands of examples/ci as the CI systems would run them: the GitHub Actions step's
 * script with its job's environment, and the Kubernetes Job container's command line (its
 * {@code $(VAR)} references expanded from the container's environment, as the kubelet does).
 */
final class CiExamples {

    static final String GITHUB_ACTIONS = "examples/ci/github-actions/deploy.yml";
    static final String KUBERNETES_JOB = "examples/ci/kubernetes/deploy-job.yaml";
    private static final Pattern GITHUB_VARIABLE = Pattern.compile("\\$\\{\\{\\s*vars\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern KUBERNETES_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /** The GitHub Actions job that runs jitctl: the scripts of its {@code run} steps in order, and its environment. */
    record WorkflowJob(List<String> scripts, Map<String, String> environment) {

        /** The script with each {@code ${{ vars.NAME }}} expression replaced by that configuration variable. */
        static String withVariables(String script, Map<String, String> variables) {
            return substitute(GITHUB_VARIABLE, script, variables, name -> "vars." + name);
        }
    }

    /** A Kubernetes container that runs jitctl: its command line and its literal environment values. */
    record JobContainer(List<String> commandLine, Map<String, String> environment) {

        /** The command line with every {@code $(NAME)} replaced by that variable's value. */
        List<String> expanded(Map<String, String> values) {
            return commandLine.stream().map(arg -> substitute(KUBERNETES_REFERENCE, arg, values, name -> "$(" + name + ") in " + arg))
                    .toList();
        }
    }

    private CiExamples() {
    }

    /** {@code text} with each match of {@code reference} replaced by the value its group 1 names; none may be missing. */
    private static String substitute(Pattern reference, String text, Map<String, String> values, UnaryOperator<String> describe) {
        Matcher match = reference.matcher(text);
        StringBuilder out = new StringBuilder();
        while (match.find()) {
            String value = values.get(match.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for " + describe.apply(match.group(1)));
            }
            match.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return match.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    static WorkflowJob githubActionsJob(Path root) {
        Map<String, Object> workflow = (Map<String, Object>) yaml().load(read(root.resolve(GITHUB_ACTIONS)));
        for (Object jobValue : ((Map<String, Object>) workflow.get("jobs")).values()) {
            Map<String, Object> job = (Map<String, Object>) jobValue;
            List<String> scripts = new ArrayList<>();
            for (Object step : (List<Object>) job.get("steps")) {
                if (((Map<String, Object>) step).get("run") instanceof String script) {
                    scripts.add(script);
                }
            }
            if (scripts.stream().anyMatch(script -> script.contains("jitctl run"))) {
                return new WorkflowJob(scripts, strings((Map<String, Object>) job.getOrDefault("env", Map.of())));
            }
        }
        throw new IllegalStateException(GITHUB_ACTIONS + " has no job with a step that runs jitctl");
    }

    @SuppressWarnings("unchecked")
    static JobContainer kubernetesJobContainer(Path root) {
        for (Object document : yaml().loadAll(read(root.resolve(KUBERNETES_JOB)))) {
            Map<String, Object> resource = (Map<String, Object>) document;
            if (!"Job".equals(resource.get("kind"))) {
                continue;
            }
            Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) resource.get("spec")).get("template");
            for (Object containerValue : (List<Object>) ((Map<String, Object>) template.get("spec")).get("containers")) {
                Map<String, Object> container = (Map<String, Object>) containerValue;
                List<String> commandLine = new ArrayList<>((List<String>) container.get("command"));
                commandLine.addAll((List<String>) container.getOrDefault("args", List.of()));
                if (commandLine.stream().anyMatch(arg -> arg.endsWith("jitctl.jar"))) {
                    Map<String, String> environment = new LinkedHashMap<>();
                    for (Object variable : (List<Object>) container.getOrDefault("env", List.of())) {
                        Map<String, Object> entry = (Map<String, Object>) variable;
                        if (entry.get("value") != null) {
                            environment.put((String) entry.get("name"), String.valueOf(entry.get("value")));
                        }
                    }
                    return new JobContainer(commandLine, environment);
                }
            }
        }
        throw new IllegalStateException(KUBERNETES_JOB + " has no container that runs jitctl.jar");
    }

    private static Map<String, String> strings(Map<String, Object> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((name, value) -> strings.put(name, String.valueOf(value)));
        return strings;
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
