package io.jitbroker.request.support;

/** Ends a test class's resources. */
public final class Closing {

    private Closing() {
    }

    /**
     * Closes each in the order given, skipping nulls (a failed start leaves some unset). Name clients
     * and the service before the infrastructure: a broker stopped first makes them wait for it.
     */
    public static void inOrder(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + resource, e);
            }
        }
    }
}
