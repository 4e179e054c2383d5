package io.jitbroker.issuer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a grant of {@code postgres} resources allows, read strictly from its resource ids
 * ({@code <target>/<schema>.<table>}) and actions (SQL privileges). Names are accepted only as plain
 * lower-case identifiers, so nothing in a resource id can ever reach SQL as anything but a quoted name.
 *
 * @param target the configured PostgreSQL target all resources are on
 * @param tables the tables and the privileges on each, in grant order
 */
public record PostgresAccess(String target, List<TablePrivileges> tables) {

    /** The resource type this backend serves. */
    public static final String RESOURCE_TYPE = "postgres";
    /** The credential type of its grants. */
    public static final String CREDENTIAL_TYPE = "postgres";
    public static final Set<String> PRIVILEGES = Set.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private static final Pattern RESOURCE_ID =
            Pattern.compile("([a-z][a-z0-9-]{0,62})/([a-z_][a-z0-9_]{0,62})\\.([a-z_][a-z0-9_]{0,62})");
    private static final Pattern TARGET_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern ROLE_NAME = Pattern.compile("jit_[0-9a-f]{32}");

    /** Privileges on one table; the role also gets USAGE on its schema, nothing more. */
    public record TablePrivileges(String schema, String table, List<String> privileges) {
    }

    public PostgresAccess {
        tables = List.copyOf(tables);
    }

    /** Whether any resource is of the postgres type (then all must be, see {@link #of}). */
    public static boolean requestedBy(List<GrantedResource> resources) {
        return resources.stream().anyMatch(r -> RESOURCE_TYPE.equals(r.type()));
    }

    /**
     * @throws InvalidEventException naming the resource and what is wrong: another resource type mixed
     *                               in, more than one target, an id or action outside the strict forms
     */
    public static PostgresAccess of(List<GrantedResource> resources) {
        String target = null;
        List<TablePrivileges> tables = new ArrayList<>();
        for (GrantedResource resource : resources) {
            if (!RESOURCE_TYPE.equals(resource.type())) {
                throw new InvalidEventException("a grant of postgres resources cannot also cover resource type '"
                        + resource.type() + "': each grant has one credential");
            }
            Matcher id = RESOURCE_ID.matcher(resource.id());
            if (!id.matches()) {
                throw new InvalidEventException("postgres resource id '" + resource.id() + "' must be "
                        + "<target>/<schema>.<table> in lower-case letters, digits and '_' ('-' in the target)");
            }
            if (target != null && !target.equals(id.group(1))) {
                throw new InvalidEventException("a grant's postgres resources must all be on one target, not "
                        + target + " and " + id.group(1));
            }
            target = id.group(1);
            for (String privilege : resource.actions()) {
                if (!PRIVILEGES.contains(privilege)) {
                    throw new InvalidEventException("postgres action '" + privilege + "' on " + resource.id()
                            + " is not one of SELECT, INSERT, UPDATE, DELETE");
                }
            }
            tables.add(new TablePrivileges(id.group(2), id.group(3), List.copyOf(resource.actions())));
        }
        if (target == null) {
            throw new InvalidEventException("a postgres grant needs at least one postgres resource");
        }
        return new PostgresAccess(target, tables);
    }

    public static boolean isTargetName(String name) {
        return name != null && TARGET_NAME.matcher(name).matches();
    }

    /** The role a grant's credential logs in as: derived from its credential id, so revocation finds it. */
    public static String roleName(UUID credentialId) {
        return "jit_" + credentialId.toString().replace("-", "");
    }

    public static boolean isRoleName(String name) {
        return name != null && ROLE_NAME.matcher(name).matches();
    }

    /** Where revocations of this access are enforced, as RevocationEnforced names it. */
    public String backend() {
        return RESOURCE_TYPE + ":" + target;
    }
}
