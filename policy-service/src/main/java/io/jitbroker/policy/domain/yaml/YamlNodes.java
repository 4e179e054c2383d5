package io.jitbroker.policy.domain.yaml;

import java.util.Locale;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads single composed YAML nodes: where they are, what they hold, and how an error message shows them. */
public final class YamlNodes {

    private YamlNodes() {
    }

    /** The 1-based line the node starts on. */
    public static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /**
     * A non-blank string (a plain YAML number, boolean or date is refused: quoted is meant as text).
     *
     * @param path names the value in the problem, e.g. {@code rules[2].id}
     * @throws YamlProblem otherwise
     */
    public static String string(Node value, String path) {
        if (!(value instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
            throw new YamlProblem(value, path + ": must be a string, got " + describe(value) + " (quote it if it is meant as text)");
        }
        if (scalar.getValue().isBlank()) {
            throw new YamlProblem(value, path + ": must not be blank");
        }
        return scalar.getValue();
    }

    /** How an error message shows a value it did not expect. */
    public static String describe(Node node) {
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
