package io.jitbroker.request.domain;

import java.util.List;

/**
 * An access request as the workload sent it, not yet checked: what {@link AccessRequestValidator}
 * reads. The HTTP body record implements it; any value may be null.
 */
public interface AccessRequestFields {

    String taskId();

    String environment();

    List<? extends ResourceFields> resources();

    Long ttlSeconds();

    Long heartbeatIntervalSeconds();

    String justification();

    Boolean breakGlass();

    String dpopJkt();

    /** One resource of the request, not yet checked. */
    interface ResourceFields {

        String type();

        String id();

        List<String> actions();
    }
}
