package io.zonemesh.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator in the manner of wrk2: requests are due on a fixed
 * schedule (one every {@code 1/rate} s) whatever the target does, and each latency is measured
 * from the request's <em>intended</em> send time, so a stall of the target shows up in every
 * request it delayed instead of hiding behind the requests that were not sent (coordinated
 * omission). A request that is due while every keep-alive connection is busy waits in a queue;
 * that wait is part of its latency.
 *
 * <p>Threading: a pacer thread parks until each due time (spinning only its last
 * {@code spin} µs, for timing precision that Netty's millisecond NIO timers lack) and hands the
 * due requests to the one event loop, which owns all connections and all run state.
 */
public final class OpenLoopSender implements AutoCloseable {
    private static final int MAX_BODY = 1 << 20;
    private static final long RECONNECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LoadTarget target;
    private final Clock clock;
    private final Duration timeout;
    private final boolean captureBodies;
    private final long spinNanos;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Every slot; a free one is neither busy, nor connecting, nor pausing after a refused connect. */
    private final List<Connection> connections = new ArrayList<>();

    private int nextSlot;
    private @Nullable Run run;
    private volatile boolean closed;

    private OpenLoopSender(
            LoadTarget target, int connections, Duration timeout, boolean captureBodies, Duration spin, Clock clock) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
        }
        this.target = target;
        this.clock = clock;
        this.timeout = timeout;
        this.captureBodies = captureBodies;
        this.spinNanos = spin.toNanos();
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        for (int i = 0; i < connections; i++) {
            this.connections.add(new Connection());
        }
    }

    /**
     * Opens {@code connections} keep-alive connections to the target and returns a sender ready
     * to run; fails if they cannot all be opened within {@code timeout}.
     *
     * @param captureBodies whether listeners get response bodies (decoding costs a little)
     * @param spin how long before each due time the pacer stops parking and spins (0: never)
     */
    public static OpenLoopSender connect(
            LoadTarget target, int connections, Duration timeout, boolean captureBodies, Duration spin, Clock clock)
            throws Exception {
        OpenLoopSender sender = new OpenLoopSender(target, connections, timeout, captureBodies, spin, clock);
        try {
            List<ChannelFuture> opened = new ArrayList<>();
            for (Connection c : sender.connections) {
                opened.add(sender.bootstrap.clone().handler(c.initializer()).connect(target.address()));
            }
            for (int i = 0; i < opened.size(); i++) {
                ChannelFuture f = opened.get(i);
                if (!f.await(timeout.toMillis()) || !f.isSuccess()) {
                    throw new IllegalStateException(
                            "could not connect to " + target.address() + " for " + target.name(), f.cause());
                }
                Connection c = sender.connections.get(i);
                sender.loop
                        .submit(() -> {
                            c.channel = f.channel();
                        })
                        .sync();
            }
            return sender;
        } catch (Exception e) {
            sender.close();
            throw e;
        }
    }

    public LoadTarget target() {
        return target;
    }

    /**
     * Sends {@code rate} requests per second for {@code duration}, then waits (at most the request
     * timeout) for the last answers. One run at a time.
     */
    public CompletableFuture<RunResult> run(double rate, Duration duration, RequestListener listener) {
        if (rate <= 0 || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("rate " + rate + ", duration " + duration + " (expected: both > 0)");
        }
        long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        double interval = 1e9 / rate;
        // The schedule starts a little ahead so the first due time is not already late.
        long start = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        Run r = new Run(rate, duration, total, listener);
        try {
            loop.submit(() -> {
                        if (run != null) {
                            throw new IllegalStateException("a run is already in progress");
                        }
                        run = r;
                    })
                    .sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Thread pacer = new Thread(() -> pace(r, start, interval, total), "open-loop-pacer-" + target.name());
        pacer.setDaemon(true);
        pacer.start();
        return r.done;
    }

    /** The pacer thread: releases requests at their due times. */
    private void pace(Run r, long start, double interval, long total) {
        long next = 0;
        while (next < total && !closed) {
            long due = start + (long) (next * interval);
            long wait = due - clock.nanoTime();
            if (wait > spinNanos) {
                LockSupport.parkNanos(wait - spinNanos);
                continue;
            }
            while (clock.nanoTime() < due) {
                Thread.onSpinWait();
            }
            // Everything already due goes in one task: after a pause (GC, a descheduled thread)
            // the backlog is sent at once, each request still timed from its own due time.
            long now = clock.nanoTime();
            long first = next;
            while (next < total && start + (long) (next * interval) <= now) {
                next++;
            }
            long from = first;
            long to = next;
            loop.execute(() -> {
                for (long i = from; i < to; i++) {
                    r.pending.add(start + (long) (i * interval));
                }
                r.maxQueued = Math.max(r.maxQueued, r.pending.size());
                dispatch();
            });
        }
        loop.execute(() -> {
            r.allReleased = true;
            finishIfDone();
        });
        // Bounded: whatever has not been answered one timeout after the last release fails.
        loop.schedule(
                () -> {
                    if (run == r) {
                        finishRun();
                    }
                },
                timeout.toMillis() + 1000,
                TimeUnit.MILLISECONDS);
    }

    private void dispatch() {
        Run r = run;
        if (r == null) {
            return;
        }
        while (!r.pending.isEmpty() && !closed) {
            Connection c = nextFree();
            if (c == null) {
                break;
            }
            if (c.channel == null || !c.channel.isActive()) {
                c.reconnect(); // marks it connecting; the next free slot takes the request
                continue;
            }
            c.send(r.pending.poll());
        }
        finishIfDone();
    }

    /**
     * The next free slot in round-robin order, or null. Scanning the few slots (instead of keeping
     * a queue of idle ones) means no path can lose a slot.
     */
    private @Nullable Connection nextFree() {
        int n = connections.size();
        for (int i = 0; i < n; i++) {
            Connection c = connections.get((nextSlot + i) % n);
            if (!c.busy && !c.connecting && !c.pausing) {
                nextSlot = (nextSlot + i + 1) % n;
                return c;
            }
        }
        return null;
    }

    private void finishIfDone() {
        Run r = run;
        if (r != null && r.allReleased && r.pending.isEmpty() && r.inFlight == 0) {
            finishRun();
        }
    }

    /** Ends the current run; requests still queued or in flight count as errors. */
    private void finishRun() {
        Run r = run;
        if (r == null || !r.allReleased) {
            return;
        }
        long now = clock.nanoTime();
        if (r.inFlight > 0 || !r.pending.isEmpty()) {
            for (Long intended : r.pending) {
                r.fail(intended, now, "not sent before the run ended");
            }
            r.pending.clear();
            for (Connection c : connections) {
                if (c.busy) {
                    c.busy = false;
                    c.cancelTimeout();
                    r.inFlight--;
                    r.fail(c.intended, now, "no answer before the run ended");
                    if (c.channel != null) {
                        c.channel.close();
                    }
                }
            }
        }
        run = null;
        r.done.complete(r.result(target.name()));
    }

    @Override
    public void close() {
        closed = true;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** State of one run; confined to the event loop except {@code done}. */
    private static final class Run {
        final double rate;
        final Duration duration;
        final long scheduled;
        final RequestListener listener;
        final ArrayDeque<Long> pending = new ArrayDeque<>();
        final LatencyStats latency = new LatencyStats();
        final LatencyStats service = new LatencyStats();
        final Map<String, Long> errorKinds = new TreeMap<>();
        final CompletableFuture<RunResult> done = new CompletableFuture<>();
        long ok;
        long non2xx;
        long errors;
        int inFlight;
        int maxQueued;
        boolean allReleased;

        Run(double rate, Duration duration, long scheduled, RequestListener listener) {
            this.rate = rate;
            this.duration = duration;
            this.scheduled = scheduled;
            this.listener = listener;
        }

        void answered(long intended, long sent, long now, int status, @Nullable String body) {
            latency.record(now - intended);
            service.record(now - sent);
            if (status >= 200 && status < 300) {
                ok++;
            } else {
                non2xx++;
                errorKinds.merge("HTTP " + status, 1L, Long::sum);
            }
            notify(intended, now, status, body, null);
        }

        void fail(long intended, long now, String error) {
            errors++;
            errorKinds.merge(error, 1L, Long::sum);
            notify(intended, now, 0, null, error);
        }

        private void notify(long intended, long now, int status, @Nullable String body, @Nullable String error) {
            try {
                listener.onResult(intended, now, status, body, error);
            } catch (RuntimeException e) {
                errorKinds.merge("listener threw " + e, 1L, Long::sum);
            }
        }

        RunResult result(String name) {
            double seconds = duration.toNanos() / 1e9;
            return new RunResult(
                    name,
                    rate,
                    seconds,
                    scheduled,
                    ok,
                    non2xx,
                    errors,
                    errorKinds,
                    latency.summary(),
                    service.summary(),
                    maxQueued,
                    (ok + non2xx) / seconds);
        }
    }

    /** One keep-alive connection; at most one request in flight (HTTP/1.1 without pipelining). */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Nullable
        Channel channel;

        boolean busy;
        boolean connecting;
        boolean pausing;
        long intended;
        long sent;

        @Nullable
        ScheduledFuture<?> timeoutTask;

        ChannelInitializer<SocketChannel> initializer() {
            Connection self = this;
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY), self);
                }
            };
        }

        @Override
        public boolean isSharable() {
            return true; // reused by each reconnect of this connection slot
        }

        void send(long intendedNanos) {
            Run r = Objects.requireNonNull(run, "a slot sends only during a run");
            busy = true;
            intended = intendedNanos;
            sent = clock.nanoTime();
            r.inFlight++;
            FullHttpRequest req = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, HttpMethod.GET, target.path(), Unpooled.EMPTY_BUFFER);
            req.headers().set(HttpHeaderNames.HOST, target.host());
            Channel ch = Objects.requireNonNull(channel, "a slot sends only when connected");
            ch.writeAndFlush(req, ch.voidPromise());
            long requestId = intendedNanos;
            timeoutTask = loop.schedule(
                    () -> {
                        if (busy && intended == requestId) {
                            complete(0, null, "timeout after " + timeout.toMillis() + " ms");
                            ch.close(); // the slot reconnects when next picked
                            dispatch();
                        }
                    },
                    timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        }

        void cancelTimeout() {
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
                timeoutTask = null;
            }
        }

        private void complete(int status, @Nullable String body, @Nullable String error) {
            busy = false;
            cancelTimeout();
            Run r = run;
            if (r == null) {
                return;
            }
            r.inFlight--;
            long now = clock.nanoTime();
            if (error != null) {
                r.fail(intended, now, error);
            } else {
                r.answered(intended, sent, now, status, body);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            if (!busy) {
                return; // a late answer to a request already counted as timed out
            }
            String body = captureBodies ? res.content().toString(StandardCharsets.UTF_8) : null;
            complete(res.status().code(), body, null);
            if (!HttpUtil.isKeepAlive(res)) {
                ctx.close(); // reconnected when next picked
            }
            dispatch();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                return;
            }
            if (busy) {
                complete(0, null, "connection closed");
                dispatch();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** Opens a new connection for this slot; the next pending request waits for it. */
        void reconnect() {
            if (connecting || closed) {
                return;
            }
            connecting = true;
            bootstrap.clone().handler(initializer()).connect(target.address()).addListener((ChannelFuture f) -> {
                connecting = false;
                if (f.isSuccess()) {
                    channel = f.channel();
                    dispatch();
                    return;
                }
                // A refused connection costs the oldest waiting request, as wrk counts connect
                // errors; the slot retries shortly so a dead target yields errors, not a stall.
                Run r = run;
                if (r != null && !r.pending.isEmpty()) {
                    r.fail(
                            r.pending.poll(),
                            clock.nanoTime(),
                            "connect: " + f.cause().getClass().getSimpleName());
                }
                pausing = true;
                loop.schedule(
                        () -> {
                            pausing = false;
                            dispatch();
                        },
                        RECONNECT_PAUSE_NANOS,
                        TimeUnit.NANOSECONDS);
            });
        }
    }
}
