package io.jitbroker.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a workload asks for (POST /v1/access-requests). The workload itself is the token's subject,
 * never a field. Build one with {@link #builder()}.
 *
 * @param heartbeatInterval null: no heartbeats required; else the task must report STARTED or HEARTBEAT
 *                          at least this often (whole seconds, at least 5) or its grant is revoked
 * @param dpopJkt           null, or the RFC 7638 thumbprint of the DPoP key the credential is bound to
 */
public record AccessRequest(String taskId, String environment, List<Resource> resources, Duration ttl,
                            String justification, Duration heartbeatInterval, boolean breakGlass, String dpopJkt) {

    public AccessRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(environment, "environment");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(justification, "justification");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String taskId;
        private String environment;
        private final List<Resource> resources = new ArrayList<>();
        private Duration ttl;
        private String justification;
        private Duration heartbeatInterval;
        private boolean breakGlass;
        private String dpopJkt;

        private Builder() {
        }

        public Builder taskId(String taskId) {
            this.taskId = taskId;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder resource(Resource resource) {
            this.resources.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        public Builder resources(List<Resource> resources) {
            resources.forEach(this::resource);
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder justification(String justification) {
            this.justification = justification;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder breakGlass(boolean breakGlass) {
            this.breakGlass = breakGlass;
            return this;
        }

        public Builder dpopJkt(String dpopJkt) {
            this.dpopJkt = dpopJkt;
            return this;
        }

        public AccessRequest build() {
            return new AccessRequest(taskId, environment, resources, ttl, justification, heartbeatInterval, breakGlass,
                    dpopJkt);
        }
    }
}
