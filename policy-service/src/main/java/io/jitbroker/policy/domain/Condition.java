package io.jitbroker.policy.domain;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelStandardFunctions.StandardFunction;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's CEL condition, compiled and type-checked once when the policy loads and evaluated per
 * requested resource. Every variable is declared with its type under its qualified name (see
 * {@link ConditionVariable}), so {@code request.tiket} or {@code request.ttlSeconds > '5'} is a
 * load-time error, and the expression must type-check to a bool.
 */
public final class Condition {

    /**
     * Bounds the work one evaluation may do (a policy must not be able to stall decisions), and
     * makes {@code matches} search the text as the CEL specification says, not match all of it.
     */
    private static final CelOptions OPTIONS = CelOptions.current()
            .enableRegexPartialMatch(true)
            .comprehensionMaxIterations(1_000)
            .maxRegexProgramSize(ConditionRegexes.MAX_PROGRAM_SIZE)
            .build();

    private static final CelCompiler COMPILER = compiler();

    /** The standard runtime, but with a {@code matches} that does not compile its regex on every call. */
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .setStandardEnvironmentEnabled(false)
            .setStandardFunctions(CelStandardFunctions.newBuilder()
                    .filterFunctions((function, overload) -> function != StandardFunction.MATCHES)
                    .build())
            .addFunctionBindings(
                    CelFunctionBinding.from("matches", String.class, String.class, ConditionRegexes::find),
                    CelFunctionBinding.from("matches_string", String.class, String.class, ConditionRegexes::find))
            .build();

    /** A name as written in an expression: an identifier, possibly qualified ({@code request.ticket}). */
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\s*\\.\\s*[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']*)'.*", Pattern.DOTALL);

    private final String expression;
    private final CelRuntime.Program program;

    private Condition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    private static CelCompiler compiler() {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setResultType(SimpleType.BOOL);
        for (ConditionVariable variable : ConditionVariable.values()) {
            builder.addVar(variable.qualifiedName(), variable.type());
        }
        return builder.build();
    }

    /**
     * @throws InvalidConditionException naming each problem and where in the expression it is
     */
    public static Condition compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        CelValidationResult result = COMPILER.compile(expression);
        if (result.hasError()) {
            List<CelIssue> errors = result.getErrors();
            List<String> problems = new ArrayList<>();
            for (CelIssue issue : errors) {
                problems.add(describe(issue, expression));
            }
            throw new InvalidConditionException(String.join("; ", problems), errors.get(0).getSourceLocation().getLine());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            checkConstantRegexes(ast);
            return new Condition(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException | IllegalArgumentException e) {
            throw new InvalidConditionException(e.getMessage(), 1);
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

    /**
     * A regex written in the policy ({@code x.matches('CHG-[0-9]+')}) is compiled now: an invalid
     * one is a load error, not a condition that fails every evaluation; and the compiled pattern
     * is cached for those evaluations.
     */
    private static void checkConstantRegexes(CelAbstractSyntaxTree ast) {
        CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .filter(node -> node.getKind() == CelExpr.ExprKind.Kind.CALL)
                .map(CelNavigableExpr::expr)
                .filter(call -> call.call().function().equals("matches"))
                .forEach(call -> {
                    List<CelExpr> args = call.call().args();
                    CelExpr regex = args.get(args.size() - 1);
                    if (regex.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                            && regex.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                        ConditionRegexes.keep(regex.constant().stringValue());
                    }
                });
    }

    /**
     * CEL's message, with the position in the expression; an undeclared reference names the whole
     * qualified name written ({@code request.ticket}, not just {@code request}) and what is declared.
     */
    private static String describe(CelIssue issue, String expression) {
        CelSourceLocation location = issue.getSourceLocation();
        String message = issue.getMessage();
        Matcher undeclared = UNDECLARED.matcher(message);
        if (undeclared.matches()) {
            String written = nameAt(expression, location).orElse(undeclared.group(1));
            String root = written.contains(".") ? written.substring(0, written.indexOf('.')).strip() : written;
            List<String> fields = ConditionVariable.fieldsOf(root);
            message = "undeclared reference to '" + written + "' ("
                    + (fields.isEmpty()
                            ? "variables are request.*, workload.*, resource.* and now"
                            : root + " has: " + String.join(", ", fields))
                    + ")";
        }
        if (location.equals(CelSourceLocation.NONE) || location.getLine() <= 0) {
            return message;
        }
        return message + " at " + (location.getLine() > 1 ? "line " + location.getLine() + ", " : "")
                + "column " + (location.getColumn() + 1) + " of the condition";
    }

    private static Optional<String> nameAt(String expression, CelSourceLocation location) {
        if (location.getLine() <= 0) {
            return Optional.empty();
        }
        String[] lines = expression.split("\n", -1);
        if (location.getLine() > lines.length) {
            return Optional.empty();
        }
        String line = lines[location.getLine() - 1];
        int offset;
        try {
            offset = line.offsetByCodePoints(0, location.getColumn());
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty();
        }
        Matcher name = QUALIFIED_NAME.matcher(line);
        name.region(offset, line.length());
        return name.lookingAt() ? Optional.of(name.group().replaceAll("\\s+", "")) : Optional.empty();
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
