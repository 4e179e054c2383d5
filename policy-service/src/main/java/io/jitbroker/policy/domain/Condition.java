package io.jitbroker.policy.domain;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import java.util.Objects;

/**
 * A rule's CEL condition, compiled and type-checked once when the policy loads and evaluated per
 * requested resource. Declared variables (see {@code policies/dev-example.yaml}):
 * {@code request}, {@code workload}, {@code resource} (maps from string) and {@code now} (timestamp).
 * The result type must be able to be a bool; anything that is not a bool at run time is an error.
 */
public final class Condition {

    static final String REQUEST = "request";
    static final String WORKLOAD = "workload";
    static final String RESOURCE = "resource";
    static final String NOW = "now";

    /**
     * Bounds the work one evaluation may do (a policy must not be able to stall decisions), and
     * makes {@code matches} search the text as the CEL specification says, not match all of it.
     */
    private static final CelOptions OPTIONS = CelOptions.current()
            .enableRegexPartialMatch(true)
            .comprehensionMaxIterations(1_000)
            .maxRegexProgramSize(1_000)
            .build();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .addVar(REQUEST, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar(WORKLOAD, MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar(RESOURCE, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar(NOW, SimpleType.TIMESTAMP)
            .setResultType(SimpleType.BOOL)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .build();

    private final String expression;
    private final CelRuntime.Program program;

    private Condition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    /**
     * @throws IllegalArgumentException with CEL's message when the expression does not parse or type-check
     */
    public static Condition compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        CelValidationResult result = COMPILER.compile(expression);
        if (result.hasError()) {
            throw new IllegalArgumentException(result.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Condition(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Evaluates against the given variables; never throws: a failure is an ERROR result. */
    public ConditionResult evaluate(CelVariableResolver variables) {
        Object value;
        try {
            value = program.eval(variables);
        } catch (CelEvaluationException | RuntimeException e) {
            return ConditionResult.error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (value instanceof Boolean matched) {
            return matched ? ConditionResult.TRUE : ConditionResult.FALSE;
        }
        return ConditionResult.error("the condition gave " + describe(value) + ", not a bool");
    }

    public String expression() {
        return expression;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Condition that && expression.equals(that.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
