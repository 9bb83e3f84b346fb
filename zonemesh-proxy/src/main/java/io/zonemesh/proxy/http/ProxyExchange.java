package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.accesslog.AccessLogEntry;
import io.zonemesh.proxy.accesslog.ResponseCodeDetails;
import io.zonemesh.proxy.config.ClusterSpecifier;
import io.zonemesh.proxy.config.FaultConfig;
import io.zonemesh.proxy.config.RouteAction;
import io.zonemesh.proxy.config.RouteRule;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.config.VirtualHostConfig;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request, from route match to the response handed back to its {@link DownstreamHandler}:
 * Envoy's fault filter (a delay, DI, then an abort, FI), then its router filter: route (404 NR),
 * cluster (503 NC), then {@link UpstreamAttempt}s, one
 * host each (503 UH when none is left), retried under the route's {@code retry_policy} with
 * jittered back-off on the event loop; the last outcome is relayed or answered locally with its
 * flags (UF, UC, UR, UPE, UT, plus URX when retries ran out or UO when {@code max_retries} was
 * full). The route timeout covers every attempt and back-off and answers 504 UT. A request body
 * within the retry buffer is buffered (every attempt and mirror sends it again); a longer one
 * streams upstream as it is read, once, without retries or mirrors ({@link StreamingRequest}).
 * The response is streamed: once an
 * attempt's head passes the retry policy it goes to the client and the attempt is committed,
 * its body follows as it arrives, and a failure or timeout after that resets the client, as
 * Envoy does once a response has started. Confined to the downstream channel's event loop.
 */
final class ProxyExchange {
    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);
    /** Envoy's router response header: ms from sending upstream to the response head. */
    static final String UPSTREAM_SERVICE_TIME = "x-envoy-upstream-service-time";

    private static final String OVERFLOW =
            "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    private final ListenerContext context;
    private final DownstreamHandler downstream;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final boolean keepAlive;
    private final long startNanos;
    private final long startMillis;
    private final String protocol;
    /** Response flags; most requests have none, so the list is made on the first. */
    private List<ResponseFlag> flags = List.of();

    private String authority = "-";
    private String path;
    private @Nullable String clusterName;
    private @Nullable ActiveCluster cluster;
    private @Nullable RouteRule route;
    private ClusterSpecifier.@Nullable Choice choice;
    private @Nullable HttpHeaders matchHeaders;
    private @Nullable Long requestHash;
    /** Set-Cookie values a cookie hash policy adds to the response; made only for hash policies. */
    private List<String> setCookies = List.of();

    private @Nullable FullHttpRequest upstreamRequest;
    private @Nullable RetryState retry;
    private @Nullable UpstreamAttempt attempt;
    private @Nullable Host lastHost;
    /** Whether this exchange armed its connection's route timer. */
    private boolean timeoutArmed;

    private @Nullable ScheduledFuture<?> backoff;
    private @Nullable ScheduledFuture<?> faultDelay;
    private boolean done;
    private boolean requestReleased;
    /** The request's body went past the retry buffer and streams: no retries, no mirrors. */
    private final boolean streaming;
    /** Whether the downstream request has been read to its end. */
    private boolean requestComplete;

    private long requestBytes;
    /** Streamed body pieces read while no attempt was sending (connecting, or before routing). */
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
    /** A route timeout waiting for the request to end, as Envoy starts it (0: none). */
    private long routeTimeoutNanos;
    /**
     * The request's {@code Upgrade: websocket} value when it asks for a WebSocket over HTTP/1.1
     * (Istio's listeners enable the {@code websocket} upgrade type), else null: its
     * {@code Upgrade} and {@code Connection} go upstream, and a 101 opens an {@link ByteTunnel}.
     */
    private final @Nullable String upgrade;
    /** The status of the relayed response once its head went to the client, else -1. */
    private int responseStatus = -1;

    private long bytesSent;
    /** The headers of the response sent downstream, for {@code %RESP()%}; null before one. */
    private @Nullable HttpHeaders responseHeaders;
    /** Whether the response came from upstream (Envoy's {@code via_upstream}). */
    private boolean viaUpstream;

    private boolean directResponse;
    private @Nullable InetSocketAddress upstreamLocalAddress;
    private @Nullable String upstreamTransportFailure;
    /** The connection's TLS facts once routing started, null for plaintext. */
    private @Nullable TlsConnectionInfo tls;

    ProxyExchange(
            ListenerContext context, DownstreamHandler downstream, ChannelHandlerContext ctx, FullHttpRequest request) {
        this.context = context;
        this.downstream = downstream;
        this.ctx = ctx;
        this.request = request;
        this.keepAlive = request.decoderResult().isSuccess() && HttpUtil.isKeepAlive(request);
        this.startNanos = context.clock().nanoTime();
        this.startMillis = context.clock().currentTimeMillis();
        this.path = request.uri();
        this.streaming = request instanceof StreamingRequest;
        this.requestComplete = !streaming;
        this.requestBytes = request.content().readableBytes();
        this.upgrade = webSocketUpgrade(request, ctx);
        // Read before the upstream request takes over (and strips) the request's headers.
        this.protocol = RequestViews.protocol(request);
    }

    /** The scheme requests arrive with, for {@code :scheme}, {@code require_tls} and redirects. */
    private String scheme() {
        return context.scheme();
    }

    /** Whether the client asked to keep its connection open after this exchange. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** HTTP/1.0 clients need an explicit {@code Connection: keep-alive} to keep the connection. */
    boolean http10() {
        return request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    /**
     * The {@code Upgrade} value of an HTTP/1.1 WebSocket upgrade request, else null. Other upgrade
     * types (h2c, ...) are stripped as hop-by-hop headers and the request proxied as a plain one:
     * only {@code websocket} is enabled, as in Istio's HCM {@code upgrade_configs}. So is an
     * {@code Upgrade} in an HTTP/1.0 request, which RFC 9110 7.8 tells a server to ignore.
     */
    private static @Nullable String webSocketUpgrade(FullHttpRequest request, ChannelHandlerContext ctx) {
        HttpHeaders headers = request.headers();
        String value = headers.get(HttpHeaderNames.UPGRADE);
        if (value == null
                || !value.trim().equalsIgnoreCase("websocket")
                || ctx.channel() instanceof Http2StreamChannel
                || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                || request.content().isReadable()) {
            return null;
        }
        return value;
    }

    /** Whether this request asks for a WebSocket: a 101 answer opens a tunnel. */
    boolean upgrade() {
        return upgrade != null;
    }

    /** Whether the request's body streams (past the retry buffer): it is sent once, never retried. */
    boolean streaming() {
        return streaming;
    }

    /** Whether part of the request's body is still to be read from the client. */
    boolean requestIncomplete() {
        return !requestComplete;
    }

    /**
     * A piece of a streamed request body, read from the client: sent on by the attempt in
     * flight, or held until one sends (bounded: the client is read only as the upstream takes
     * the body). Envoy's stream idle timer counts it as activity.
     */
    void onRequestContent(HttpContent content) {
        requestBytes += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        if (done) {
            content.release();
            return;
        }
        downstream.touchStream();
        if (!content.decoderResult().isSuccess()) {
            content.release();
            guarded(this::onMalformedBody);
            return;
        }
        UpstreamAttempt sending = attempt;
        if (sending != null && sending.sendingBody()) {
            sending.sendBody(content);
        } else {
            pendingBody.add(content);
        }
        if (last && routeTimeoutNanos > 0) {
            timeoutArmed = true;
            downstream.armRouteTimeout(routeTimeoutNanos);
        }
    }

    /** The client's body is malformed mid-stream (a bad chunk): Envoy resets the request. */
    private void onMalformedBody() {
        if (attempt != null) {
            attempt.cancel();
            attempt = null;
        }
        if (responseStatus >= 0) {
            resetCommitted(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
            return;
        }
        addFlag(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
        localReply(HttpResponseStatus.BAD_REQUEST, "");
    }

    /** Hands the body pieces held so far to {@code sending}, which has just sent the head. */
    void drainPendingBody(UpstreamAttempt sending) {
        HttpContent piece;
        while (sending == attempt && (piece = pendingBody.poll()) != null) {
            sending.sendBody(piece);
        }
    }

    /** The upstream took the last piece: read more of the body from the client. */
    void onUpstreamBodyWritable(UpstreamAttempt sending) {
        if (!done && sending == attempt && !requestComplete) {
            downstream.readRequestBody(this);
        }
    }

    /** Whether the client sent HEAD, whose response has no body whatever its headers say. */
    boolean headRequest() {
        return request.method().equals(HttpMethod.HEAD);
    }

    void start() {
        downstream.touchStream();
        guarded(this::route);
    }

    /**
     * Runs a step of the exchange; a bug in it answers 500 instead of leaving the client hanging
     * (or resets the client when the response has started). Every entry from a timer goes through
     * here: an exception in a scheduled task only fails the task's future, so unguarded it would
     * leave the client waiting, for ever with Istio's default route timeout of 0.
     */
    void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("request {} {} failed inside the proxy", request.method(), path, e);
            UpstreamAttempt failed = attempt;
            attempt = null;
            if (failed != null) {
                try {
                    failed.cancel();
                } catch (RuntimeException again) {
                    log.error("request {} {}: cancelling its attempt failed too", request.method(), path, again);
                }
            }
            if (done) {
                return;
            }
            if (responseStatus >= 0) {
                // The head is already with the client: a reset is the only way to tell it.
                end();
                record(responseStatus, -1, bytesSent);
                downstream.reset(this);
                return;
            }
            localReply(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private void route() {
        if (!request.decoderResult().isSuccess()) {
            addFlag(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
            localReply(MalformedRequests.status(request.decoderResult().cause()), "");
            return;
        }
        RequestTarget target = RequestTarget.of(request);
        if (target == null) {
            addFlag(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
            localReply(HttpResponseStatus.BAD_REQUEST, "");
            return;
        }
        authority = target.authority();
        path = target.path();
        // Envoy's HCM sets x-forwarded-client-cert before routing, so routes and the upstream see it.
        tls = TlsConnectionInfo.of(ctx.channel());
        ForwardedClientCert.mutate(context.forwardClientCert(), request.headers(), tls);
        ProxySnapshot snapshot = context.snapshots().get();
        RouteTable table = context.chainInlineRoutes() != null
                ? context.chainInlineRoutes()
                : context.chainRoutes() != null
                        ? snapshot.routeTableNamed(context.chainRoutes())
                        : snapshot.routeTable(context.listenerName());
        VirtualHostConfig virtualHost = table == null ? null : table.findVirtualHost(authority);
        if (virtualHost != null && virtualHost.requireTls() && !scheme().equals("https")) {
            // Envoy's SslRedirector: the host header as sent, the path as sent.
            FullHttpResponse redirect = LocalReplies.create(ctx.alloc(), HttpResponseStatus.MOVED_PERMANENTLY, "");
            redirect.headers().set(HttpHeaderNames.LOCATION, "https://" + authority + path);
            finish(redirect, -1);
            return;
        }
        matchHeaders = RequestViews.matchHeaders(request, target, scheme());
        route = virtualHost == null ? null : virtualHost.findRoute(path, matchHeaders);
        // The fault filter runs before the router, so a delay comes before the route timeout
        // starts and an abort before the cluster is even looked up.
        FaultConfig fault = FaultFilter.effective(snapshot.listener(context.listenerName()), route);
        FaultConfig.Delay delay = fault == null ? null : fault.delay();
        if (delay != null && delay.percentage().roll(context.random())) {
            addFlag(ResponseFlag.DELAY_INJECTED);
            faultDelay = ctx.executor()
                    .schedule(
                            () -> {
                                faultDelay = null;
                                if (!done) {
                                    guarded(() -> afterDelay(snapshot, target, fault));
                                }
                            },
                            delay.fixedDelay().toNanos(),
                            TimeUnit.NANOSECONDS);
            return;
        }
        afterDelay(snapshot, target, fault);
    }

    private void afterDelay(ProxySnapshot snapshot, RequestTarget target, @Nullable FaultConfig fault) {
        FaultConfig.Abort abort = fault == null ? null : fault.abort();
        if (abort != null && abort.percentage().roll(context.random())) {
            addFlag(ResponseFlag.FAULT_INJECTED);
            localReply(HttpResponseStatus.valueOf(abort.httpStatus()), FaultFilter.ABORT_BODY);
            return;
        }
        if (route == null) {
            addFlag(ResponseFlag.NO_ROUTE);
            localReply(HttpResponseStatus.NOT_FOUND, "");
            return;
        }
        if (route.localResponse() != null) {
            FullHttpResponse response =
                    RouteLocalReplies.create(ctx.alloc(), route, route.localResponse(), scheme(), authority, path);
            route.headerEdits().applyToResponse(response.headers());
            directResponse = true;
            finish(response, -1);
            return;
        }
        choice = Objects.requireNonNull(route.action(), "a route without local response forwards")
                .clusters()
                .choose(context.random());
        clusterName = choice.cluster();
        cluster = snapshot.cluster(clusterName);
        if (cluster == null) {
            addFlag(ResponseFlag.NO_CLUSTER);
            localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, "");
            return;
        }
        // Hashing reads the original headers, which the upstream request then takes over.
        if (!route.action().hashPolicies().isEmpty()) {
            setCookies = new ArrayList<>(1);
        }
        requestHash = RequestHash.compute(
                route.action().hashPolicies(),
                Objects.requireNonNull(matchHeaders),
                path,
                ctx.channel().remoteAddress(),
                setCookies);
        upstreamRequest = RequestViews.upstreamRequest(request, route, choice, target);
        if (upgrade != null) {
            // The hop-by-hop headers were stripped; an upgrade is asked for again on the upstream hop.
            upstreamRequest
                    .headers()
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                    .set(HttpHeaderNames.UPGRADE, upgrade);
        }
        if (streaming && !upstreamRequest.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // A body of unknown length streams chunked (its chunked framing downstream is hop-by-hop).
            upstreamRequest.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        // Envoy mirrors only a request it could buffer (shadowing stops at the buffer limit).
        for (RouteAction.Mirror mirror :
                streaming ? List.<RouteAction.Mirror>of() : route.action().mirrors()) {
            ActiveCluster mirrorCluster = snapshot.cluster(mirror.cluster());
            if (mirrorCluster != null && mirror.fraction().roll(context.random())) {
                ShadowRequest.send(context, ctx.channel().eventLoop(), mirrorCluster, upstreamRequest.copy());
            }
        }
        CircuitBreakers breakers = cluster.breakers();
        retry = new RetryState(
                route.action().retryPolicy(),
                breakers.retries(),
                () -> breakers.onOverflow(CircuitBreakers.Resource.RETRIES),
                context.random());
        Duration routeTimeout = route.action().timeout();
        if (!routeTimeout.isZero()) {
            // Envoy's route timeout starts once the whole request has been read.
            if (requestComplete) {
                timeoutArmed = true;
                downstream.armRouteTimeout(routeTimeout.toNanos());
            } else {
                routeTimeoutNanos = routeTimeout.toNanos();
            }
        }
        startAttempt();
    }

    private void startAttempt() {
        backoff = null;
        if (done) {
            return;
        }
        // Without a hash from the route's hash_policy, Envoy draws a random one per pick.
        long hash = requestHash != null ? requestHash : context.random().nextLong(Long.MAX_VALUE);
        // afterDelay set cluster, retry, route and upstreamRequest before the first attempt.
        ActiveCluster cluster = Objects.requireNonNull(this.cluster);
        RetryState retry = Objects.requireNonNull(this.retry);
        Host host = cluster.loadBalancer()
                .chooseHost(hash, retry.excludedHosts(), retry.excludedPriorities(), retry.hostSelectionRetries());
        if (host == null) {
            addFlag(ResponseFlag.NO_HEALTHY_UPSTREAM);
            localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, LocalReplies.NO_HEALTHY_UPSTREAM);
            return;
        }
        lastHost = host;
        retry.onHostAttempted(host);
        UpstreamAttempt next = new UpstreamAttempt(
                this,
                context,
                ctx,
                cluster,
                host,
                Objects.requireNonNull(upstreamRequest),
                Objects.requireNonNull(Objects.requireNonNull(route).action())
                        .retryPolicy()
                        .perTryTimeout());
        attempt = next;
        next.start();
    }

    /**
     * The attempt got a response head: retried if the policy says so (false: the attempt drops
     * the body and then calls {@link #onAttemptDrained}), else relayed to the client at once
     * (true: the attempt is committed and streams the body through {@link #onAttemptContent}),
     * as Envoy's router commits to a response once its headers pass the retry policy.
     */
    boolean onAttemptHead(UpstreamAttempt current, HttpResponse head, long upstreamNanos) {
        if (done || current != attempt) {
            ReferenceCountUtil.release(head);
            return false;
        }
        int code = head.status().code();
        RetryState.Decision decision =
                noRetryWhenStreaming(Objects.requireNonNull(retry).onResponse(code, head.headers()));
        if (decision == RetryState.Decision.RETRY) {
            ReferenceCountUtil.release(head);
            return false;
        }
        addDecisionFlag(decision);
        HttpHeaders headers = head.headers();
        HopByHopHeaders.strip(headers);
        RequestViews.stripHttp2Extensions(headers);
        for (String cookie : setCookies) {
            headers.add(HttpHeaderNames.SET_COOKIE, cookie);
        }
        // An attempt exists, so afterDelay set choice and route.
        Objects.requireNonNull(choice).headerEdits().applyToResponse(headers);
        Objects.requireNonNull(route).headerEdits().applyToResponse(headers);
        // Envoy's router adds the upstream's time to first byte (Istio keeps Envoy headers on).
        headers.set(UPSTREAM_SERVICE_TIME, TimeUnit.NANOSECONDS.toMillis(Math.max(upstreamNanos, 0)));
        responseStatus = code;
        responseHeaders = headers;
        viaUpstream = true;
        upstreamLocalAddress = current.localAddress();
        downstream.touchStream();
        downstream.respondHead(this, head);
        return true;
    }

    /**
     * The upstream switched protocols for this WebSocket upgrade: the 101 goes to the client with
     * its {@code Upgrade} and {@code Connection}, the exchange ends (logged with status 101; Envoy
     * logs an upgrade when the stream ends), and both connections become a byte tunnel. Only a
     * 101 opens one: any other answer to an upgrade request is relayed as a plain response
     * (CVE-2024-23326: a 2xx must not open a tunnel).
     */
    void onAttemptUpgrade(UpstreamAttempt current, HttpResponse head, PooledConnection connection, long upstreamNanos) {
        if (done || current != attempt || upgrade == null) {
            ReferenceCountUtil.release(head);
            connection.channel.close();
            return;
        }
        attempt = null;
        // An attempt exists only once a route and its cluster were chosen.
        Objects.requireNonNull(choice, "choice").headerEdits().applyToResponse(head.headers());
        Objects.requireNonNull(route, "route").headerEdits().applyToResponse(head.headers());
        responseStatus = head.status().code();
        responseHeaders = head.headers();
        viaUpstream = true;
        upstreamLocalAddress = current.localAddress();
        end();
        record(responseStatus, upstreamNanos, 0);
        downstream.respondUpgrade(this, head, connection);
    }

    /** A piece of a committed response's body, on its way to the client. */
    void onAttemptContent(UpstreamAttempt current, HttpContent content) {
        if (done || current != attempt) {
            content.release();
            return;
        }
        bytesSent += content.content().readableBytes();
        downstream.touchStream();
        downstream.respondContent(this, content);
    }

    /** The end of a committed response: logged, then written; the client's next request may follow. */
    void onAttemptLastContent(UpstreamAttempt current, LastHttpContent last, long upstreamNanos) {
        if (done || current != attempt) {
            last.release();
            return;
        }
        attempt = null;
        bytesSent += last.content().readableBytes();
        end();
        record(responseStatus, upstreamNanos, bytesSent);
        downstream.respondLast(this, last);
    }

    /** The body of a response that is retried has been read (or the connection given up): retry now. */
    void onAttemptDrained(UpstreamAttempt current) {
        if (done || current != attempt) {
            return;
        }
        attempt = null;
        scheduleRetry();
    }

    /** Sends what a committed attempt's last upstream read brought. */
    void flushDownstream() {
        if (!done && responseStatus >= 0) {
            downstream.flush(this);
        }
    }

    /** Whether the client connection takes more bytes now; a committed attempt reads on only then. */
    boolean downstreamWritable() {
        return ctx.channel().isWritable();
    }

    /** The client connection can take more again: resume a streaming response. */
    void onDownstreamWritable() {
        if (attempt != null) {
            attempt.onDownstreamWritable();
        }
    }

    /**
     * A committed response cannot be finished (upstream reset, body over the limit, timeout):
     * its head is already with the client, so the client connection is reset, as Envoy does.
     */
    private void resetCommitted(ResponseFlag flag) {
        addFlag(flag);
        end();
        record(responseStatus, -1, bytesSent);
        downstream.reset(this);
    }

    /** The attempt failed without a response: retried if the policy says so, else answered locally. */
    void onAttemptFailure(UpstreamAttempt ended, AttemptFailure failure) {
        if (done || ended != attempt) {
            return;
        }
        attempt = null;
        if (responseStatus >= 0) {
            resetCommitted(failure.flag);
            return;
        }
        RetryState.Decision decision =
                noRetryWhenStreaming(Objects.requireNonNull(retry).onFailure(failure));
        if (decision == RetryState.Decision.RETRY) {
            scheduleRetry();
            return;
        }
        addFlag(failure.flag);
        addDecisionFlag(decision);
        String transport = ended.transportFailureReason();
        upstreamTransportFailure = transport;
        upstreamLocalAddress = ended.localAddress();
        localReply(
                failure.status,
                transport == null ? failure.body : failure.body + ", transport failure reason: " + transport);
    }

    /** A circuit breaker refused the attempt: 503 UO, never retried (Envoy's reset reason Overflow). */
    void onAttemptOverflow(UpstreamAttempt ended) {
        if (done || ended != attempt) {
            return;
        }
        attempt = null;
        addFlag(ResponseFlag.UPSTREAM_OVERFLOW);
        localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, OVERFLOW);
    }

    /**
     * A streamed body was read once and cannot be sent again: as Envoy disables retries when a
     * request overflows its buffer, the outcome stands (no URX: the policy was not used up).
     */
    private RetryState.Decision noRetryWhenStreaming(RetryState.Decision decision) {
        return streaming && decision == RetryState.Decision.RETRY ? RetryState.Decision.NO_RETRY : decision;
    }

    private void addFlag(ResponseFlag flag) {
        if (flags.isEmpty()) {
            flags = new ArrayList<>(2);
        }
        flags.add(flag);
    }

    private void addDecisionFlag(RetryState.Decision decision) {
        if (decision == RetryState.Decision.LIMIT_EXCEEDED) {
            addFlag(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        } else if (decision == RetryState.Decision.OVERFLOW) {
            addFlag(ResponseFlag.UPSTREAM_OVERFLOW);
        }
    }

    private void scheduleRetry() {
        // Guarded like every other step: the retry runs from a timer, where an exception would
        // only fail the timer's future and leave the client waiting (for ever with Istio's
        // default route timeout of 0).
        backoff = ctx.executor()
                .schedule(
                        () -> guarded(this::startAttempt),
                        Objects.requireNonNull(retry).backoffMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** The route timeout fired (the connection's route timer, armed by this exchange). */
    void onTimeout() {
        timeoutArmed = false;
        if (done) {
            return;
        }
        guarded(this::timeOut);
    }

    private void timeOut() {
        if (attempt != null) {
            attempt.onRouteTimeout();
            attempt = null;
        }
        if (responseStatus >= 0) {
            resetCommitted(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT);
            return;
        }
        addFlag(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT);
        localReply(HttpResponseStatus.GATEWAY_TIMEOUT, LocalReplies.TIMEOUT);
    }

    /**
     * Nothing happened for {@code stream_idle_timeout} (a hanging upstream without a route
     * timeout). As Envoy's {@code ActiveStream::onIdleTimeout}: flag SI and a local reply
     * "stream timeout", 504 once the whole request was received and 408 while a streamed body
     * is still arriving ({@code Utility::maybeRequestTimeoutCode}); a response that already
     * started is reset instead. The upstream request is
     * abandoned without an outlier-detection report, as Envoy's router just resets it.
     */
    void onStreamIdleTimeout() {
        if (!done) {
            guarded(this::streamIdleTimeOut);
        }
    }

    private void streamIdleTimeOut() {
        if (attempt != null) {
            attempt.cancel();
            attempt = null;
        }
        if (responseStatus >= 0) {
            resetCommitted(ResponseFlag.STREAM_IDLE_TIMEOUT);
            return;
        }
        addFlag(ResponseFlag.STREAM_IDLE_TIMEOUT);
        localReply(
                requestComplete ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.REQUEST_TIMEOUT,
                LocalReplies.STREAM_TIMEOUT);
    }

    /** The client went away: stop the upstream side, log status 0 with DC. */
    void onDownstreamClosed() {
        if (done) {
            return;
        }
        if (attempt != null) {
            attempt.cancel();
            attempt = null;
        }
        end();
        addFlag(ResponseFlag.DOWNSTREAM_CONNECTION_TERMINATION);
        // A response already started is logged with its status, as Envoy logs what it sent.
        record(Math.max(responseStatus, 0), -1, bytesSent);
    }

    private void localReply(HttpResponseStatus status, String body) {
        finish(LocalReplies.create(ctx.alloc(), status, body), -1);
    }

    private void finish(FullHttpResponse response, long upstreamNanos) {
        if (done) {
            response.release();
            return;
        }
        end();
        responseHeaders = response.headers();
        record(response.status().code(), upstreamNanos, response.content().readableBytes());
        downstream.respond(this, response);
    }

    private void end() {
        done = true;
        downstream.disarmStreamIdleTimeout();
        if (timeoutArmed) {
            timeoutArmed = false;
            downstream.disarmRouteTimeout();
        }
        if (backoff != null) {
            backoff.cancel(false);
            backoff = null;
        }
        if (faultDelay != null) {
            faultDelay.cancel(false);
            faultDelay = null;
        }
        if (retry != null) {
            retry.close();
        }
        if (upstreamRequest != null) {
            upstreamRequest.release();
            upstreamRequest = null;
        }
        HttpContent piece;
        while ((piece = pendingBody.poll()) != null) {
            piece.release();
        }
    }

    private void record(int status, long upstreamNanos, long bytesSent) {
        RequestRecord record = new RequestRecord(
                context.direction(),
                context.listenerName(),
                startMillis,
                request.method().name(),
                authority,
                path,
                protocol,
                status,
                flags,
                clusterName,
                lastHost == null ? null : lastHost.spec().key(),
                lastHost == null ? "" : lastHost.spec().locality(),
                context.clock().nanoTime() - startNanos,
                upstreamNanos,
                requestBytes,
                bytesSent,
                retry == null ? 0 : retry.attempts(),
                tls == null || tls.peerUriSans().isEmpty() ? null : String.join(",", tls.peerUriSans()),
                tls == null || tls.localUriSans().isEmpty() ? null : String.join(",", tls.localUriSans()),
                lastHost == null ? "" : lastHost.spec().name());
        try {
            context.observer().onRequestComplete(record, () -> accessLogEntry(record));
        } catch (RuntimeException e) {
            log.warn("request observer failed", e);
        }
    }

    private AccessLogEntry accessLogEntry(RequestRecord record) {
        Channel connection = ctx.channel() instanceof Http2StreamChannel stream ? stream.parent() : ctx.channel();
        return new AccessLogEntry(
                record,
                request.headers(),
                responseHeaders,
                scheme(),
                route == null ? "" : route.name(),
                ResponseCodeDetails.of(viaUpstream, directResponse, flags, upstreamTransportFailure),
                connection.localAddress() instanceof InetSocketAddress local ? local : null,
                connection.remoteAddress() instanceof InetSocketAddress remote ? remote : null,
                upstreamLocalAddress,
                TlsConnectionInfo.requestedServerName(connection),
                upstreamTransportFailure);
    }

    /** Releases the downstream request; the handler calls it when it lets go of the exchange. */
    void releaseRequest() {
        if (!requestReleased) {
            requestReleased = true;
            request.release();
        }
    }
}
