package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;

/** istioctl's {@code describeManagement}: which Istio config made a cluster or route. */
final class IstioMetadata {
    private static final String PREFIX = "/apis/networking.istio.io/v1alpha3/namespaces/";

    private IstioMetadata() {}

    /**
     * {@code <name>.<namespace>} from {@code metadata.filter_metadata.istio.config} (a path
     * {@code /apis/networking.istio.io/v1alpha3/namespaces/<ns>/<kind>/<name>}), {@code <unknown>}
     * for another path, empty without one.
     */
    static String describe(JsonNode metadata) {
        JsonNode config = metadata.path("filter_metadata").path("istio").path("config");
        if (config.isMissingNode()) {
            return "";
        }
        String path = config.asText();
        if (path.startsWith(PREFIX)) {
            String[] pieces = path.split("/", -1);
            return pieces.length == 8 ? pieces[7] + "." + pieces[5] : "";
        }
        return "<unknown>";
    }
}
