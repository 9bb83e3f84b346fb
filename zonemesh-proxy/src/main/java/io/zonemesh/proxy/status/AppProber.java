package io.zonemesh.proxy.status;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the application probes of Istio's {@code /app-health/<container>/<probe>} paths
 * (pilot-agent's {@code handleAppProbeHTTPGet} and {@code handleAppProbeTCPSocket}) on the
 * status port's event loop, never blocking it: an HTTP probe answers with the application's
 * status (a redirect counts as 200, as the kubelet's own probe treats it), a TCP probe with 200
 * once it connects; a refused or timed-out probe is 500.
 *
 * <p>The probe goes to the pod's own IP (where the kubelet would have sent it), from source
 * 127.0.0.6 as Istio's agent does: the capture rules never send that source back to the inbound
 * listener ({@code ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN}), so the probe reaches the
 * application itself, past any mutual TLS the inbound listener requires.
 */
public final class AppProber {
    /** The source Istio's inbound passthrough and app probes bind. */
    private static final String PASSTHROUGH_SOURCE = "127.0.0.6";

    private final Map<String, AppProbe> probes;
    private final String podAddress;

    /**
     * @param probes URL path ({@code /app-health/<container>/readyz}) to its probe
     * @param podAddress the pod's IP, or null to probe 127.0.0.1
     */
    public AppProber(Map<String, AppProbe> probes, @Nullable String podAddress) {
        this.probes = Map.copyOf(probes);
        this.podAddress = podAddress == null || podAddress.isEmpty() ? "127.0.0.1" : podAddress;
    }

    /** The probe for {@code path}, or null when none is configured there. */
    @Nullable
    AppProbe probe(String path) {
        return probes.get(path);
    }

    /**
     * Runs {@code probe} on {@code loop}.
     *
     * @param requestHeaders the kubelet's request headers, forwarded to an HTTP probe
     * @return the status to answer the kubelet with; never fails
     */
    Future<HttpResponseStatus> run(AppProbe probe, EventLoop loop, HttpHeaders requestHeaders) {
        Promise<HttpResponseStatus> result = loop.newPromise();
        String host = probe.host() == null ? podAddress : probe.host();
        // An IP literal only: resolving a name would block the event loop.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            return result.setSuccess(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
        long timeoutMillis = probe.timeout().toMillis();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(Transport.of(loop).channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (probe.path() != null) {
                            ch.pipeline().addLast(new HttpClientCodec(), new StatusReader(result));
                        }
                    }
                });
        InetSocketAddress target = new InetSocketAddress(address, probe.port());
        ChannelFuture connect = address.isLoopbackAddress()
                ? bootstrap.connect(target)
                : bootstrap.connect(target, new InetSocketAddress(PASSTHROUGH_SOURCE, 0));
        Channel channel = connect.channel();
        var timeout = loop.schedule(
                () -> result.trySuccess(HttpResponseStatus.INTERNAL_SERVER_ERROR),
                timeoutMillis,
                TimeUnit.MILLISECONDS);
        result.addListener(f -> {
            timeout.cancel(false);
            channel.close();
        });
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.trySuccess(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            } else if (probe.path() == null) {
                result.trySuccess(HttpResponseStatus.OK);
            } else {
                f.channel().writeAndFlush(request(probe, host, requestHeaders));
            }
        });
        return result;
    }

    private static FullHttpRequest request(AppProbe probe, String host, HttpHeaders requestHeaders) {
        FullHttpRequest request =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, Objects.requireNonNull(probe.path()));
        HttpHeaders headers = request.headers();
        // The kubelet's headers (its User-Agent, the probe's httpHeaders) go on, as Istio forwards
        // them; the Host names the application's port, not the status port the kubelet called.
        requestHeaders.forEach(h -> headers.add(h.getKey(), h.getValue()));
        probe.headers().forEach(headers::set);
        headers.set(HttpHeaderNames.HOST, host + ":" + probe.port());
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        return request;
    }

    /** Completes the promise with the first response's status; a 3xx is 200 (pilot-agent's rule). */
    private static final class StatusReader extends ChannelInboundHandlerAdapter {
        private final Promise<HttpResponseStatus> result;

        StatusReader(Promise<HttpResponseStatus> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    int code = response.status().code();
                    result.trySuccess(code >= 300 && code < 400 ? HttpResponseStatus.OK : response.status());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.trySuccess(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.trySuccess(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            ctx.close();
        }
    }
}
