package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * Checks the raw bytes of downstream HTTP/1.1 requests before Netty's decoder sees them, for
 * what that decoder accepts or silently repairs (request smuggling, RFC 9112):
 * <ul>
 *   <li>obs-fold (a header or trailer line starting with SP/HTAB) → 400 (§5.2; Netty unfolds);</li>
 *   <li>{@code Content-Length} with {@code Transfer-Encoding} → 400 (§6.1; Netty drops the
 *     Content-Length);</li>
 *   <li>any {@code Transfer-Encoding} but one header whose value is exactly {@code chunked}
 *     (case-insensitive, surrounding spaces allowed) → 501, as Envoy; a tab around the value is
 *     refused too (nginx only skips spaces; Netty reads {@code xchunked} as no body at all);</li>
 *   <li>two {@code Host} headers → 400; more than {@value #MAX_HEADERS} headers → 431 (Envoy's
 *     {@code max_headers_count}); a request line not ending in SP {@code HTTP/1.0} or
 *     {@code HTTP/1.1} → 505 for another {@code HTTP/x.y}, else 400;</li>
 *   <li>lines not ended by CRLF, a chunk size that is not hex, chunk data not followed by CRLF
 *     → 400 (CVE-2025-58056 is the bare-LF-in-chunk-extension case).</li>
 * </ul>
 * To know which bytes are headers it follows the message framing itself (Content-Length or
 * chunked; for every request it lets through that framing is unambiguous, so it agrees with the
 * decoder). It passes each header block only once complete, so a refusal replaces the block: it
 * emits a failed request (or, inside a chunked body, a failed last content) exactly where Netty
 * puts its own failures, whose {@link RejectedRequestException} cause the exchange queue answers
 * in order; every byte after it is dropped, so nothing of a smuggled request reaches an upstream.
 * Netty still validates the rest (request line, token characters, CR/LF/NUL in values).
 * After a request with {@code Upgrade} the bytes are held until its response: after a 101
 * ({@link #onUpgraded}) they pass unscanned, after another answer ({@link #onFinalResponse})
 * HTTP/1.1 goes on. Event-loop confined, one per connection.
 */
final class Http1RequestScanner extends ByteToMessageDecoder {
    /** Envoy's {@code max_headers_count} default. */
    static final int MAX_HEADERS = 100;
    /** A chunk-size line with its extensions; Envoy and Netty bound it likewise. */
    private static final int MAX_CHUNK_LINE = 8 * 1024;

    private enum State {
        HEADERS,
        FIXED_BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_CRLF,
        TRAILERS,
        REJECTED,
        /** After an upgrade request: held until its response says whether HTTP/1.1 goes on. */
        AWAIT_UPGRADE,
        /** After a 101: not HTTP/1.1 any more, passed on as is. */
        PASSTHROUGH
    }

    private State state = State.HEADERS;
    /** The request being read asked for an upgrade: after it, wait for its response. */
    private boolean upgradeRequested;
    /** Bytes after the reader index already split into lines of the block being read. */
    private int scanned;
    /** Body bytes left: of the Content-Length body or of the current chunk. */
    private long remaining;

    private final HeaderBlockCheck block = new HeaderBlockCheck();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEADERS -> readHeaders(in, out);
            case FIXED_BODY, CHUNK_DATA -> readBody(in, out);
            case CHUNK_SIZE -> readChunkSize(in, out);
            case CHUNK_CRLF -> readChunkEnd(in, out);
            case TRAILERS -> readTrailers(in, out);
            case REJECTED -> in.skipBytes(in.readableBytes());
            case AWAIT_UPGRADE -> {
                // RFC 6455 4.1: a client waits for the 101 before sending; more than a request
                // head's worth of bytes before the answer is not a client to wait for.
                if (in.readableBytes() > HttpLimits.MAX_HEADER_BYTES) {
                    reject(
                            in,
                            out,
                            badRequest("over " + HttpLimits.MAX_HEADER_BYTES
                                    + " bytes sent before the answer to an upgrade request"));
                }
            }
            case PASSTHROUGH -> out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }

    private void readHeaders(ByteBuf in, List<Object> out) {
        if (scanned == 0) {
            skipControlCharacters(in);
            if (!in.isReadable()) {
                return;
            }
        }
        int start = in.readerIndex();
        while (true) {
            int lineStart = start + scanned;
            int lf = in.indexOf(lineStart, in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                int pending = in.writerIndex() - lineStart;
                if (block.lines == 0 && pending > HttpLimits.MAX_INITIAL_LINE) {
                    reject(
                            in,
                            out,
                            new TooLongHttpLineException(
                                    "request line over " + HttpLimits.MAX_INITIAL_LINE + " bytes"));
                } else if (block.headerBytes + pending > HttpLimits.MAX_HEADER_BYTES) {
                    reject(
                            in,
                            out,
                            new TooLongHttpHeaderException("headers over " + HttpLimits.MAX_HEADER_BYTES + " bytes"));
                }
                return;
            }
            if (lf == lineStart || in.getByte(lf - 1) != '\r') {
                reject(in, out, badRequest("line not ended by CRLF"));
                return;
            }
            scanned = lf + 1 - start;
            RuntimeException problem = block.line(in, lineStart, lf - 1);
            if (problem != null) {
                reject(in, out, problem);
                return;
            }
            if (block.complete) {
                out.add(in.readRetainedSlice(scanned));
                upgradeRequested = block.upgrade;
                startBody(block);
                scanned = 0;
                block.reset();
                return;
            }
        }
    }

    private void startBody(HeaderBlockCheck headers) {
        if (headers.chunked) {
            state = State.CHUNK_SIZE;
        } else if (headers.contentLength > 0) {
            state = State.FIXED_BODY;
            remaining = headers.contentLength;
        } else {
            messageDone();
        }
    }

    /** A request ended: the next one, or, after an upgrade request, its response first. */
    private void messageDone() {
        state = upgradeRequested ? State.AWAIT_UPGRADE : State.HEADERS;
    }

    /**
     * The response to an upgrade request was 101 (WebSocket): the bytes that follow are the new
     * protocol's and pass unscanned (the handlers that serve the upgrade take out the codec).
     */
    void onUpgraded() {
        if (state != State.REJECTED) {
            state = State.PASSTHROUGH;
        }
    }

    /**
     * After a 101: the bytes the client sent right behind its upgrade request, held since then
     * (RFC 6455 asks a client to wait for the 101; not every client does). The tunnel sends them
     * upstream before anything it reads itself. The caller owns the returned buffer.
     */
    ByteBuf takeHeld() {
        ByteBuf held = internalBuffer();
        return held.readBytes(held.readableBytes());
    }

    /**
     * A final response other than 101 was written: after a refused upgrade HTTP/1.1 goes on, and
     * the bytes held meanwhile are scanned (later on the event loop, not inside the write).
     */
    void onFinalResponse(ChannelHandlerContext ctx) {
        if (state != State.AWAIT_UPGRADE) {
            return;
        }
        state = State.HEADERS;
        upgradeRequested = false;
        ctx.executor().execute(() -> {
            if (ctx.isRemoved() || !ctx.channel().isActive()) {
                return;
            }
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
                channelReadComplete(ctx);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        });
    }

    private void readBody(ByteBuf in, List<Object> out) {
        int length = (int) Math.min(in.readableBytes(), remaining);
        if (length == 0) {
            return;
        }
        out.add(in.readRetainedSlice(length));
        remaining -= length;
        if (remaining == 0) {
            if (state == State.FIXED_BODY) {
                messageDone();
            } else {
                state = State.CHUNK_CRLF;
            }
        }
    }

    private void readChunkSize(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_CHUNK_LINE) {
                rejectChunk(in, out, "chunk size line over " + MAX_CHUNK_LINE + " bytes");
            }
            return;
        }
        if (lf == start || in.getByte(lf - 1) != '\r') {
            rejectChunk(in, out, "chunk size line not ended by CRLF");
            return;
        }
        long size = 0;
        int digits = 0;
        int i = start;
        for (; i < lf - 1; i++) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            if (++digits > 15) {
                rejectChunk(in, out, "chunk size over 15 hex digits");
                return;
            }
            size = size * 16 + digit;
        }
        // chunk-size [ BWS ";" chunk-ext ]: only whitespace then ';' may follow the digits.
        while (i < lf - 1 && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        if (digits == 0 || (i < lf - 1 && in.getByte(i) != ';')) {
            rejectChunk(in, out, "invalid chunk size");
            return;
        }
        for (; i < lf - 1; i++) {
            byte b = in.getByte(i);
            if (b == '\r' || b == 0) {
                rejectChunk(in, out, "invalid character in chunk extension");
                return;
            }
        }
        out.add(in.readRetainedSlice(lf + 1 - start));
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            state = State.CHUNK_DATA;
            remaining = size;
        }
    }

    private void readChunkEnd(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 2) {
            return;
        }
        if (in.getByte(in.readerIndex()) != '\r' || in.getByte(in.readerIndex() + 1) != '\n') {
            rejectChunk(in, out, "chunk data not followed by CRLF");
            return;
        }
        out.add(in.readRetainedSlice(2));
        state = State.CHUNK_SIZE;
    }

    private void readTrailers(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        while (true) {
            int lineStart = start + scanned;
            int lf = in.indexOf(lineStart, in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.writerIndex() - start > HttpLimits.MAX_HEADER_BYTES) {
                    rejectChunk(in, out, "trailers over " + HttpLimits.MAX_HEADER_BYTES + " bytes");
                }
                return;
            }
            if (lf == lineStart || in.getByte(lf - 1) != '\r') {
                rejectChunk(in, out, "trailer line not ended by CRLF");
                return;
            }
            scanned = lf + 1 - start;
            if (lf - 1 == lineStart) {
                out.add(in.readRetainedSlice(scanned));
                scanned = 0;
                messageDone();
                return;
            }
            byte first = in.getByte(lineStart);
            if (first == ' ' || first == '\t') {
                rejectChunk(in, out, "obs-fold in trailers");
                return;
            }
        }
    }

    /** What Netty's decoder skips before a request line (it treats them alike). */
    private static void skipControlCharacters(ByteBuf in) {
        while (in.isReadable()) {
            int b = in.getUnsignedByte(in.readerIndex());
            if (b > ' ' && (b < 0x7f || b > 0x9f)) {
                return;
            }
            in.skipBytes(1);
        }
    }

    static RejectedRequestException badRequest(String message) {
        return new RejectedRequestException(HttpResponseStatus.BAD_REQUEST, message);
    }

    /** A header block refused: a failed request in its place, as Netty's own invalid message. */
    private void reject(ByteBuf in, List<Object> out, RuntimeException cause) {
        DefaultFullHttpRequest failed =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER);
        failed.setDecoderResult(DecoderResult.failure(cause));
        out.add(failed);
        dropTheRest(in);
    }

    /** A chunked body refused: a failed last content ends the request, as Netty's invalid chunk. */
    private void rejectChunk(ByteBuf in, List<Object> out, String message) {
        LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        failed.setDecoderResult(DecoderResult.failure(badRequest(message)));
        out.add(failed);
        dropTheRest(in);
    }

    private void dropTheRest(ByteBuf in) {
        state = State.REJECTED;
        scanned = 0;
        in.skipBytes(in.readableBytes());
    }
}
