package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner in front of Netty's decoder, on an embedded pipeline: what reaches the exchange
 * queue, summarized as {@code REQ <method> <uri>}, {@code BODY <bytes>}, {@code END} and
 * {@code FAIL <status>}. A refused request is the last thing decoded on its connection.
 */
@ExtendWith(NettyLeakCheck.class)
class Http1RequestScannerTest {
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    /** Decodes {@code bytes} in one read, or {@code chunk} bytes at a time. */
    private static List<String> decode(String bytes, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(
                new Http1RequestScanner(),
                new HttpServerCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES, HttpLimits.MAX_CHUNK));
        byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < raw.length; i += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(raw, i, Math.min(chunk, raw.length - i)));
        }
        List<String> seen = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            seen.addAll(summarize(msg));
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        return merge(seen);
    }

    private static List<String> decode(String bytes) {
        return decode(bytes, Integer.MAX_VALUE);
    }

    private static List<String> summarize(Object msg) {
        List<String> out = new ArrayList<>();
        if (msg instanceof DecoderResultProvider provider
                && !provider.decoderResult().isSuccess()) {
            out.add("FAIL "
                    + MalformedRequests.status(provider.decoderResult().cause()).code());
            return out;
        }
        if (msg instanceof HttpRequest request) {
            out.add("REQ " + request.method() + " " + request.uri());
        }
        if (msg instanceof HttpContent content && content.content().isReadable()) {
            out.add("BODY " + content.content().toString(StandardCharsets.ISO_8859_1));
        }
        if (msg instanceof LastHttpContent) {
            out.add("END");
        }
        return out;
    }

    /** Joins body pieces, so that a body read in pieces reads as one. */
    private static List<String> merge(List<String> seen) {
        List<String> out = new ArrayList<>();
        for (String s : seen) {
            int last = out.size() - 1;
            if (s.startsWith("BODY ") && last >= 0 && out.get(last).startsWith("BODY ")) {
                out.set(last, out.get(last) + s.substring(5));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void validPipelinedRequestsPassUnchangedWholeOrByteByByte() {
        String requests = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked \r\n\r\n"
                + "3;name=value\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "\r\nGET /c HTTP/1.0\r\n\r\n";
        List<String> expected =
                List.of("REQ POST /a", "BODY hello", "END", "REQ POST /b", "BODY abcde", "END", "REQ GET /c", "END");

        assertThat(decode(requests)).isEqualTo(expected);
        assertThat(decode(requests, 1)).isEqualTo(expected);
        assertThat(decode(requests, 7)).isEqualTo(expected);
    }

    @Test
    void contentLengthWithTransferEncodingIs400AndNothingAfterItIsDecoded() {
        String attack = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED;

        assertThat(decode(attack)).containsExactly("FAIL 400");
        assertThat(decode(attack, 1)).containsExactly("FAIL 400");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "identity, chunked",
                "xchunked",
                "\tchunked",
                "chunked\t",
                "chunked, chunked",
                "gzip",
                "chunked;q=1",
                ""
            })
    void anyTransferEncodingButChunkedIs501(String value) {
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + value + "\r\n\r\n0\r\n\r\n" + SMUGGLED))
                .containsExactly("FAIL 501");
    }

    @Test
    void twoTransferEncodingHeadersAre501() {
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
                        + "\r\n0\r\n\r\n"))
                .containsExactly("FAIL 501");
    }

    @Test
    void obsFoldIs400EvenWhenTheFoldArrivesInItsOwnRead() {
        String folded =
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\nX-A: 1\r\n\r\n0\r\n\r\n" + SMUGGLED;

        assertThat(decode(folded)).containsExactly("FAIL 400");
        assertThat(decode(folded, 1)).containsExactly("FAIL 400");
        assertThat(decode("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\tmore\r\n\r\n"))
                .containsExactly("FAIL 400");
    }

    @Test
    void aRefusedRequestBehindAGoodOneLeavesTheGoodOneWhole() {
        assertThat(decode("GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"
                        + SMUGGLED))
                .containsExactly("REQ GET /ok", "END", "FAIL 400");
    }

    @Test
    void unsupportedVersionsAre505() {
        assertThat(decode("GET / HTTP/9.9\r\nHost: a\r\n\r\n")).containsExactly("FAIL 505");
        assertThat(decode("GET / HTTP/2.0\r\nHost: a\r\n\r\n")).containsExactly("FAIL 505");
        assertThat(decode("GET / HTTP/1.0\r\n\r\n")).containsExactly("REQ GET /", "END");
    }

    @Test
    void aRequestLineNotEndingInSpaceAndAnHttpVersionIs400() {
        // Found by Http1DecoderFuzzTest: Netty took HTTP/2.0 after control characters as the version.
        assertThat(decode("GET /hello \u0004\u0004HTTP/2.0\r\nHost: a\r\n\r\n")).containsExactly("FAIL 400");
        assertThat(decode("GET / FOO/1.1\r\nHost: a\r\n\r\n")).containsExactly("FAIL 400");
        assertThat(decode("GET / HTTP/1.10\r\nHost: a\r\n\r\n")).containsExactly("FAIL 400");
    }

    @Test
    void moreThanAHundredHeadersAre431() {
        StringBuilder hundred = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < 100; i++) {
            hundred.append("X-").append(i).append(": v\r\n");
        }
        assertThat(decode(hundred + "\r\n")).containsExactly("REQ GET /", "END");
        assertThat(decode(hundred + "X-100: v\r\n\r\n")).containsExactly("FAIL 431");
    }

    @Test
    void oversizedHeadersAre431AndAnOversizedRequestLine414BeforeTheyAreComplete() {
        assertThat(decode("GET / HTTP/1.1\r\nX: " + "a".repeat(HttpLimits.MAX_HEADER_BYTES)))
                .containsExactly("FAIL 431");
        assertThat(decode("GET /" + "a".repeat(HttpLimits.MAX_INITIAL_LINE))).containsExactly("FAIL 414");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "zz\r\n",
                "1;a\nb\r\nx\r\n0\r\n\r\n",
                "1\nx\r\n0\r\n\r\n",
                "-1\r\n",
                "1\r\nxy\r\n",
                "10000000000000000\r\n",
                "1 x\r\nx\r\n",
                "1\rx\r\nx\r\n"
            })
    void badChunkFramingEndsTheRequestWith400(String body) {
        List<String> decoded =
                decode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body + SMUGGLED);

        // Chunk data before the fault may have been passed on; the request ends failed all the same.
        assertThat(decoded).first().isEqualTo("REQ POST /");
        assertThat(decoded).last().isEqualTo("FAIL 400");
        assertThat(decoded).hasSizeLessThanOrEqualTo(3).noneMatch(s -> s.contains("smuggled"));
    }

    @Test
    void badContentLengthsAre400() {
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na"))
                .containsExactly("FAIL 400");
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\na"))
                .containsExactly("FAIL 400");
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1,1\r\n\r\na"))
                .containsExactly("FAIL 400");
    }

    @Test
    void bareLineFeedsAre400() {
        assertThat(decode("GET / HTTP/1.1\nHost: a\n\n")).containsExactly("FAIL 400");
        assertThat(decode("GET / HTTP/1.1\r\nHost: a\n\r\n")).containsExactly("FAIL 400");
    }

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static EmbeddedChannel upgradePipeline() {
        ConnectionTimeouts timeouts = new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofHours(1));
        return new EmbeddedChannel(
                timeouts.byteWatcher(),
                new Http1RequestScanner(),
                new HttpServerCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES, HttpLimits.MAX_CHUNK),
                timeouts);
    }

    private static List<String> drain(EmbeddedChannel channel) {
        List<String> seen = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof ByteBuf raw) {
                seen.add("RAW " + raw.toString(StandardCharsets.ISO_8859_1));
            } else {
                seen.addAll(summarize(msg));
            }
            ReferenceCountUtil.release(msg);
        }
        return merge(seen);
    }

    @Test
    void afterA101TheNewProtocolsBytesPassUnscanned() {
        EmbeddedChannel channel = upgradePipeline();
        channel.writeInbound(Unpooled.copiedBuffer(UPGRADE, StandardCharsets.ISO_8859_1));
        assertThat(drain(channel)).containsExactly("REQ GET /chat", "END");

        channel.writeOutbound(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
        // What the handlers serving the upgrade do: the HTTP codec leaves.
        channel.pipeline().remove(HttpServerCodec.class);
        channel.writeInbound(Unpooled.copiedBuffer(" \tnot http\r\n at all", StandardCharsets.ISO_8859_1));

        assertThat(drain(channel)).containsExactly("RAW  \tnot http\r\n at all");
        releaseOutbound(channel);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRefusedUpgradeHoldsThenScansWhatCameMeanwhile() {
        EmbeddedChannel channel = upgradePipeline();
        channel.writeInbound(
                Unpooled.copiedBuffer(UPGRADE + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(drain(channel)).containsExactly("REQ GET /chat", "END");

        FullHttpResponse refused = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        refused.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeOutbound(refused);
        channel.runPendingTasks();

        assertThat(drain(channel)).containsExactly("REQ GET /next", "END");
        releaseOutbound(channel);
        channel.finishAndReleaseAll();
    }

    @Test
    void tooManyBytesBeforeTheAnswerToAnUpgradeAre400() {
        EmbeddedChannel channel = upgradePipeline();
        channel.writeInbound(Unpooled.copiedBuffer(
                UPGRADE + "x".repeat(HttpLimits.MAX_HEADER_BYTES + 1), StandardCharsets.ISO_8859_1));

        assertThat(drain(channel)).containsExactly("REQ GET /chat", "END", "FAIL 400");
        channel.finishAndReleaseAll();
    }

    private static void releaseOutbound(EmbeddedChannel channel) {
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
