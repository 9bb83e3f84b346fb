package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.FaultConfig;
import io.zonemesh.proxy.config.Fraction;
import java.time.Duration;

/**
 * Parses the fault filter's {@code HTTPFault}: fixed delays and HTTP aborts with their
 * percentages. Header-controlled faults, gRPC aborts, rate limits and the header, node and
 * cluster conditions are errors, since the proxy does not implement them.
 */
final class FaultParser {
    static final String NAME = "envoy.filters.http.fault";
    static final String TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault";
    private static final String FILTER_CONFIG_TYPE_URL = "type.googleapis.com/envoy.config.route.v3.FilterConfig";

    private FaultParser() {}

    /** A per-filter or filter-wide config: an {@code HTTPFault}, or one wrapped in a {@code FilterConfig}. */
    static @Nullable FaultConfig parse(Any any, ValidationErrors errors, String path) {
        try {
            if (any.getTypeUrl().equals(FILTER_CONFIG_TYPE_URL)) {
                FilterConfig wrapper = any.unpack(FilterConfig.class);
                if (wrapper.getDisabled()) {
                    return null;
                }
                return parse(wrapper.getConfig(), errors, path + ".config");
            }
            if (!any.getTypeUrl().equals(TYPE_URL)) {
                errors.add(path, any.getTypeUrl(), TYPE_URL);
                return null;
            }
            return parse(any.unpack(HTTPFault.class), errors, path);
        } catch (InvalidProtocolBufferException e) {
            errors.add(path, "undecodable bytes", "a valid HTTPFault (" + e.getMessage() + ")");
            return null;
        }
    }

    static @Nullable FaultConfig parse(HTTPFault fault, ValidationErrors errors, String path) {
        int before = errors.count();
        FaultConfig.Delay delay = null;
        if (fault.hasDelay()) {
            FaultDelay proto = fault.getDelay();
            if (proto.getFaultDelaySecifierCase() != FaultDelay.FaultDelaySecifierCase.FIXED_DELAY) {
                errors.add(
                        path + ".delay",
                        proto.getFaultDelaySecifierCase(),
                        "fixed_delay (header_delay is not " + "supported by zonemesh-proxy)");
            } else {
                Duration fixed = ProtoValues.duration(proto.getFixedDelay(), errors, path + ".delay.fixed_delay");
                Fraction percentage = fraction(proto.getPercentage(), errors, path + ".delay.percentage");
                if (fixed != null && percentage != null) {
                    delay = new FaultConfig.Delay(fixed, percentage);
                }
            }
        }
        FaultConfig.Abort abort = null;
        if (fault.hasAbort()) {
            FaultAbort proto = fault.getAbort();
            if (proto.getErrorTypeCase() != FaultAbort.ErrorTypeCase.HTTP_STATUS) {
                errors.add(
                        path + ".abort",
                        proto.getErrorTypeCase(),
                        "http_status (grpc_status and header_abort are " + "not supported by zonemesh-proxy)");
            } else if (proto.getHttpStatus() < 200 || proto.getHttpStatus() > 599) {
                errors.add(path + ".abort.http_status", proto.getHttpStatus(), "200..599 (Envoy's range)");
            } else {
                Fraction percentage = fraction(proto.getPercentage(), errors, path + ".abort.percentage");
                if (percentage != null) {
                    abort = new FaultConfig.Abort(proto.getHttpStatus(), percentage);
                }
            }
        }
        if (fault.getHeadersCount() > 0
                || fault.getDownstreamNodesCount() > 0
                || !fault.getUpstreamCluster().isEmpty()
                || fault.hasMaxActiveFaults()
                || fault.hasResponseRateLimit()) {
            errors.add(
                    path,
                    "headers/downstream_nodes/upstream_cluster/max_active_faults/response_rate_limit",
                    "none (not supported by zonemesh-proxy)");
        }
        return errors.count() > before ? null : new FaultConfig(delay, abort);
    }

    static @Nullable Fraction fraction(FractionalPercent proto, ValidationErrors errors, String path) {
        long denominator = switch (proto.getDenominator()) {
            case HUNDRED -> 100;
            case TEN_THOUSAND -> 10_000;
            case MILLION -> 1_000_000;
            default -> -1;
        };
        if (denominator < 0) {
            errors.add(path + ".denominator", proto.getDenominator(), "HUNDRED, TEN_THOUSAND or MILLION");
            return null;
        }
        return new Fraction(Integer.toUnsignedLong(proto.getNumerator()), denominator);
    }
}
