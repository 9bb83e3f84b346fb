package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.zonemesh.common.Nullable;

/**
 * The four xDS resource types the proxy subscribes to over ADS, in the order Envoy subscribes
 * (clusters before listeners, so that listeners' routes find their clusters warming).
 */
public enum ResourceType {
    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "Cluster", Cluster.class, true),
    ENDPOINT(
            "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
            "ClusterLoadAssignment",
            ClusterLoadAssignment.class,
            false),
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "Listener", Listener.class, true),
    ROUTE(
            "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
            "RouteConfiguration",
            RouteConfiguration.class,
            false);

    private final String typeUrl;
    private final String kind;
    private final Class<? extends Message> protoClass;
    private final boolean wildcard;

    ResourceType(String typeUrl, String kind, Class<? extends Message> protoClass, boolean wildcard) {
        this.typeUrl = typeUrl;
        this.kind = kind;
        this.protoClass = protoClass;
        this.wildcard = wildcard;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /** The proto message name, used in validation messages. */
    public String kind() {
        return kind;
    }

    /**
     * Whether the proxy subscribes to every resource of the type (LDS, CDS). In state-of-the-world
     * xDS a response for such a type is the complete set, so a missing resource is deleted; a
     * response for RDS/EDS may carry only some of the subscribed names and deletes nothing.
     */
    public boolean wildcard() {
        return wildcard;
    }

    /** Decodes one resource of this type. */
    public Message unpack(Any any) throws InvalidProtocolBufferException {
        return any.unpack(protoClass);
    }

    /** The resource's name ({@code Listener.name}, {@code ClusterLoadAssignment.cluster_name}, ...). */
    public String nameOf(Message message) {
        if (message instanceof Cluster c) {
            return c.getName();
        }
        if (message instanceof ClusterLoadAssignment cla) {
            return cla.getClusterName();
        }
        if (message instanceof Listener l) {
            return l.getName();
        }
        return ((RouteConfiguration) message).getName();
    }

    /** The type with this URL, or null when the proxy does not know it. */
    public static @Nullable ResourceType fromTypeUrl(String typeUrl) {
        for (ResourceType type : values()) {
            if (type.typeUrl.equals(typeUrl)) {
                return type;
            }
        }
        return null;
    }
}
