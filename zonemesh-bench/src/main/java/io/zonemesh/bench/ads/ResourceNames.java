package io.zonemesh.bench.ads;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;

/**
 * What a proxy subscribes to next, read from the resources it received, as Envoy does: the EDS
 * names of its EDS clusters and the RDS names of its HTTP connection managers.
 */
final class ResourceNames {
    private static final int CLUSTER_TYPE_EDS = 3;

    private ResourceNames() {}

    /**
     * The load assignments to request for {@code clusters} (serialized {@code Any}s): for each
     * {@code type: EDS} cluster, {@code eds_cluster_config.service_name}, or its name when that is
     * empty (Envoy's rule). Reads only those fields, so a 1,000-cluster response costs little.
     */
    static List<String> edsNames(List<ByteString> clusters) {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (ByteString any : clusters) {
                ByteString cluster = anyValue(any);
                // envoy.config.cluster.v3.Cluster: 1 name, 2 type, 3 eds_cluster_config.
                CodedInputStream in = cluster.newCodedInput();
                String name = "";
                String serviceName = "";
                int type = 0;
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    switch (tag >>> 3) {
                        case 1 -> name = in.readStringRequireUtf8();
                        case 2 -> type = in.readEnum();
                        case 3 -> serviceName = edsServiceName(in.readBytes());
                        default -> in.skipField(tag);
                    }
                }
                if (type == CLUSTER_TYPE_EDS) {
                    names.add(serviceName.isEmpty() ? name : serviceName);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("malformed Cluster in a CDS response", e);
        }
        return List.copyOf(names);
    }

    /** The route configurations the listeners' HTTP connection managers name through RDS. */
    static List<String> rdsNames(List<ByteString> listeners) {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (ByteString any : listeners) {
                Listener listener = Any.parseFrom(any).unpack(Listener.class);
                for (FilterChain chain : listener.getFilterChainsList()) {
                    for (Filter filter : chain.getFiltersList()) {
                        if (filter.hasTypedConfig() && filter.getTypedConfig().is(HttpConnectionManager.class)) {
                            HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
                            if (hcm.hasRds()) {
                                names.add(hcm.getRds().getRouteConfigName());
                            }
                        }
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("malformed Listener in an LDS response", e);
        }
        return List.copyOf(names);
    }

    private static ByteString anyValue(ByteString any) throws IOException {
        // google.protobuf.Any: 1 type_url, 2 value.
        CodedInputStream in = any.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == 2) {
                return in.readBytes();
            }
            in.skipField(tag);
        }
        return ByteString.EMPTY;
    }

    private static String edsServiceName(ByteString edsClusterConfig) throws IOException {
        // envoy.config.cluster.v3.Cluster.EdsClusterConfig: 1 eds_config, 2 service_name.
        CodedInputStream in = edsClusterConfig.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == 2) {
                return in.readStringRequireUtf8();
            }
            in.skipField(tag);
        }
        return "";
    }
}
