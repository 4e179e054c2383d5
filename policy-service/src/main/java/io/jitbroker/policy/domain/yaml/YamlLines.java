package io.jitbroker.policy.domain.yaml;

import java.io.StringReader;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds the line of a field in a YAML document from the path {@link YamlFields} names it by
 * ({@code rules[2].condition}, {@code maxTtlSeconds}, {@code the top level}), walking the composed
 * node tree (positions only: nothing is constructed, so this is safe on any input).
 */
public final class YamlLines {

    /** One path step: a key, optionally followed by a list index, e.g. {@code rules[2]}. */
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)(?:\\[(\\d+)])?");

    private YamlLines() {
    }

    /**
     * @param path       the path to the field, as {@link YamlFields} names it
     * @param unknownKey when the problem is an unknown key inside the mapping at {@code path}: that key
     * @return the 1-based line of the deepest node of {@code path} that exists, or of {@code unknownKey}
     */
    public static OptionalInt lineOf(String yaml, String path, String unknownKey) {
        Node node;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            node = new Yaml(options).compose(new StringReader(yaml));
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
        if (node == null) {
            return OptionalInt.empty();
        }
        Node at = node;
        int line = YamlNodes.line(node);
        if (!path.equals(YamlFields.TOP_LEVEL)) {
            for (String step : path.split("\\.")) {
                Matcher matcher = STEP.matcher(step);
                if (!matcher.matches()) {
                    break;
                }
                NodeTuple entry = entry(at, matcher.group(1));
                if (entry == null) {
                    break;
                }
                line = YamlNodes.line(entry.getKeyNode());
                at = entry.getValueNode();
                if (matcher.group(2) != null) {
                    int index = Integer.parseInt(matcher.group(2));
                    if (!(at instanceof SequenceNode sequence) || index >= sequence.getValue().size()) {
                        break;
                    }
                    at = sequence.getValue().get(index);
                    line = YamlNodes.line(at);
                }
            }
        }
        if (unknownKey != null) {
            NodeTuple entry = entry(at, unknownKey);
            if (entry != null) {
                line = YamlNodes.line(entry.getKeyNode());
            }
        }
        return OptionalInt.of(line);
    }

    private static NodeTuple entry(Node node, String key) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }
}
