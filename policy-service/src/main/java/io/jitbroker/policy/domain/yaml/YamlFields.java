package io.jitbroker.policy.domain.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping of a composed document and where it sits in it, with typed accessors. Every
 * error is a {@link YamlProblem} naming the field's path ({@code rules[2].condition}) and its
 * line; {@link YamlLines} finds a line again from such a path.
 */
public final class YamlFields {

    /** The path of the document's root mapping. */
    public static final String TOP_LEVEL = "the top level";

    private final MappingNode mapping;
    private final String where;
    private final Map<String, NodeTuple> entries;

    private YamlFields(MappingNode mapping, String where, Map<String, NodeTuple> entries) {
        this.mapping = mapping;
        this.where = where;
        this.entries = entries;
    }

    /**
     * @param where       the mapping's path, {@link #TOP_LEVEL} for the root
     * @param allowedKeys every key the mapping may have
     * @throws YamlProblem when the node is not a mapping, or has a key that is unknown or repeated
     */
    public static YamlFields of(Node node, String where, Set<String> allowedKeys) {
        if (!(node instanceof MappingNode mapping)) {
            throw new YamlProblem(node, where + ": must be a mapping with keys " + new TreeSet<>(allowedKeys) + ", got "
                    + YamlNodes.describe(node));
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            Node key = entry.getKeyNode();
            String name = key instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR) ? scalar.getValue() : null;
            if (name == null || !allowedKeys.contains(name)) {
                throw new YamlProblem(key, where + ": unknown key " + (key instanceof ScalarNode scalar ? "'" + scalar.getValue() + "'"
                        : YamlNodes.describe(key)) + " (allowed: " + String.join(", ", new TreeSet<>(allowedKeys)) + ")");
            }
            NodeTuple first = entries.putIfAbsent(name, entry);
            if (first != null) {
                // A repeated key would silently override the first one in most readers: refuse it.
                throw new YamlProblem(key, where + ": duplicate key " + name + " (first at line "
                        + YamlNodes.line(first.getKeyNode()) + ")");
            }
        }
        return new YamlFields(mapping, where, entries);
    }

    /** The path of {@code key} in this mapping, e.g. {@code rules[2].condition}. */
    public String path(String key) {
        return where.equals(TOP_LEVEL) ? key : where + "." + key;
    }

    /** A problem with the value of {@code key} (or with the mapping, when the key is absent). */
    public YamlProblem problem(String key, String message) {
        NodeTuple entry = entries.get(key);
        return new YamlProblem(entry == null ? mapping : entry.getValueNode(), path(key) + ": " + message);
    }

    public int line(String key) {
        return YamlNodes.line(node(key));
    }

    public boolean has(String key) {
        return node(key) != null;
    }

    /** The value, or null when the key is absent or its value is YAML null ({@code key:} with nothing after it). */
    public Node node(String key) {
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
            throw new YamlProblem(entries.containsKey(key) ? entries.get(key).getKeyNode() : mapping, path(key) + ": is missing");
        }
        return value;
    }

    public String requiredString(String key) {
        return YamlNodes.string(required(key), path(key));
    }

    /**
     * The string at {@code key} as {@code convert} makes it: an {@link IllegalArgumentException} it throws
     * is a problem at the value's line.
     */
    public <T> T requiredString(String key, Function<String, T> convert) {
        return converted(required(key), path(key), convert);
    }

    /** The string, or null when the key is absent. */
    public String optionalString(String key) {
        Node value = node(key);
        return value == null ? null : YamlNodes.string(value, path(key));
    }

    /** @param unit what the number counts, named in the problem, e.g. {@code seconds}; null for nothing */
    public long requiredPositiveLong(String key, String unit) {
        return positiveLong(required(key), path(key), unit);
    }

    public OptionalLong optionalPositiveLong(String key, String unit) {
        Node value = node(key);
        return value == null ? OptionalLong.empty() : OptionalLong.of(positiveLong(value, path(key), unit));
    }

    public OptionalInt optionalPositiveInt(String key) {
        Node value = node(key);
        if (value == null) {
            return OptionalInt.empty();
        }
        long number = positiveLong(value, path(key), null);
        if (number > Integer.MAX_VALUE) {
            throw new YamlProblem(value, path(key) + ": must be at most " + Integer.MAX_VALUE + ", got " + number);
        }
        return OptionalInt.of((int) number);
    }

    /** {@code true} or {@code false}, in any case (YAML 1.1's yes, no, on and off are refused); false when absent. */
    public boolean optionalBoolean(String key) {
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
        throw new YamlProblem(value, path(key) + ": must be true or false, got " + YamlNodes.describe(value));
    }

    /** The nested mapping, or null when the key is absent. */
    public YamlFields optionalMapping(String key, Set<String> allowedKeys) {
        Node value = node(key);
        return value == null ? null : of(value, path(key), allowedKeys);
    }

    public List<Node> requiredList(String key, boolean nonEmpty) {
        return list(required(key), key, nonEmpty);
    }

    /** The list, or an empty one when the key is absent. */
    public List<Node> optionalList(String key) {
        Node value = node(key);
        return value == null ? List.of() : list(value, key, false);
    }

    private List<Node> list(Node value, String key, boolean nonEmpty) {
        if (!(value instanceof SequenceNode sequence)) {
            throw new YamlProblem(value, path(key) + ": must be a list, got " + YamlNodes.describe(value));
        }
        if (nonEmpty && sequence.getValue().isEmpty()) {
            throw new YamlProblem(value, path(key) + ": must not be empty");
        }
        return sequence.getValue();
    }

    /** A non-empty list of strings, each once, in the order written. */
    public Set<String> requiredStrings(String key) {
        return new LinkedHashSet<>(requiredDistinctStrings(key, Function.identity()));
    }

    /**
     * A non-empty list of strings, each as {@code convert} makes it (see {@link #requiredString(String, Function)}),
     * each distinct value once, in the order written.
     */
    public <T> List<T> requiredDistinctStrings(String key, Function<String, T> convert) {
        List<Node> items = requiredList(key, true);
        Set<T> values = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            values.add(converted(items.get(i), path(key) + "[" + i + "]", convert));
        }
        return new ArrayList<>(values);
    }

    private static <T> T converted(Node node, String path, Function<String, T> convert) {
        String text = YamlNodes.string(node, path);
        try {
            return convert.apply(text);
        } catch (IllegalArgumentException e) {
            throw new YamlProblem(YamlNodes.line(node), path + ": " + e.getMessage(), e);
        }
    }

    /** A decimal whole number above zero that fits a long; {@code unit} names what it counts, if anything. */
    private static long positiveLong(Node value, String path, String unit) {
        String what = "must be a positive whole number" + (unit == null ? "" : " of " + unit);
        if (!(value instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.INT)
                || !scalar.getValue().matches("[-+]?[0-9][0-9_]*")) {
            throw new YamlProblem(value, path + ": " + what + ", got " + YamlNodes.describe(value));
        }
        BigInteger number = new BigInteger(scalar.getValue().replace("_", ""));
        if (number.signum() <= 0 || number.bitLength() >= Long.SIZE) {
            throw new YamlProblem(value, path + ": " + what + ", got " + YamlNodes.describe(value));
        }
        return number.longValue();
    }
}
