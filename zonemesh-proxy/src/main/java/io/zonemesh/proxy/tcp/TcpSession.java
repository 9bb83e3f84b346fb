package io.zonemesh.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.ResponseFlag;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reporting side of one proxied TCP connection, as Istio's stats filter reports TCP: opened
 * when the upstream connects (or, for a connection that never got one, right before it is
 * reported closed, with its response flags), the bytes moved every {@link #REPORT_INTERVAL} and
 * at close, closed at close. Bytes are counted on the downstream channel by
 * {@link #byteCounter()}: received from the client, sent to it. Confined to the downstream's
 * event loop.
 */
public final class TcpSession {
    /** Istio's stats filter {@code tcp_reporting_duration} default. */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

    private final TcpObserver observer;
    private final String listener;
    private final Direction direction;
    private final List<ResponseFlag> flags = new ArrayList<>();
    private @Nullable String cluster;
    private @Nullable HostSpec host;
    private @Nullable InetSocketAddress destination;
    private long received;
    private long sent;
    private long reportedReceived;
    private long reportedSent;
    private boolean opened;
    private boolean closed;
    private @Nullable ScheduledFuture<?> timer;

    public TcpSession(TcpObserver observer, String listener, Direction direction) {
        this.observer = observer;
        this.listener = listener;
        this.direction = direction;
    }

    void cluster(String name) {
        this.cluster = name;
    }

    void host(HostSpec spec) {
        this.host = spec;
    }

    /** A passthrough connection's cluster and original destination. */
    public void passthrough(String clusterName, InetSocketAddress originalDestination) {
        this.cluster = clusterName;
        this.destination = originalDestination;
    }

    /** Records an Envoy response flag (once). */
    public void flag(ResponseFlag flag) {
        if (!flags.contains(flag)) {
            flags.add(flag);
        }
    }

    /** Bytes the client sent before the relay started (the ClientHello the inspector held). */
    void received(long bytes) {
        received += bytes;
    }

    /** The upstream connected: reports the connection opened and starts the periodic byte reports. */
    public void onConnected(Channel downstream) {
        if (opened || closed) {
            return;
        }
        opened = true;
        observer.onOpened(record());
        long period = REPORT_INTERVAL.toNanos();
        timer = downstream.eventLoop().scheduleAtFixedRate(this::reportBytes, period, period, TimeUnit.NANOSECONDS);
    }

    /** The connection is over: the last bytes, then closed (opened first if it never was). */
    public void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> armed = timer;
        timer = null;
        if (armed != null) {
            armed.cancel(false);
        }
        if (!opened) {
            opened = true;
            observer.onOpened(record());
        }
        reportBytes();
        observer.onClosed(record());
    }

    private void reportBytes() {
        long in = received - reportedReceived;
        long out = sent - reportedSent;
        if (in == 0 && out == 0) {
            return;
        }
        reportedReceived = received;
        reportedSent = sent;
        observer.onBytes(record(), in, out);
    }

    private TcpConnectionRecord record() {
        return new TcpConnectionRecord(listener, direction, cluster, host, destination, flags);
    }

    /**
     * Counts the downstream's bytes; put it at the front of the downstream pipeline so it sees
     * them raw (the relay behind it consumes them). Reports the session closed when the
     * downstream channel closes.
     */
    public ChannelDuplexHandler byteCounter() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received += size(msg);
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                long bytes = size(msg);
                if (promise.isVoid()) {
                    sent += bytes;
                } else {
                    // Counted once written: what the client was actually sent.
                    promise.addListener(f -> {
                        if (f.isSuccess()) {
                            sent += bytes;
                        }
                    });
                }
                ctx.write(msg, promise);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                onClosed();
                ctx.fireChannelInactive();
            }
        };
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf bytes) {
            return bytes.readableBytes();
        }
        return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }
}
