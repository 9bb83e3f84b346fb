package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer target for the downstream HTTP/1.1 decoder pipeline (RELIABILITY.md test #3): the
 * connection timers, {@link Http1RequestScanner} and Netty's codec, as {@link ProxyListener}
 * installs them. For any bytes: no exception escapes the pipeline; after a refused request only
 * further refusals follow (never a request, a body or an end); every request let through has one
 * Host at most, at most 100 headers, a version of 1.0 or 1.1 and no Transfer-Encoding but a lone
 * {@code chunked} without a Content-Length; and the same bytes read in one piece or in small
 * pieces decode alike (the scanner's framing must not depend on how TCP splits them).
 *
 * <p>{@code mvn verify} replays the seeds in {@code Http1DecoderFuzzTestInputs} (the hostile
 * corpus, valid requests among them) in a JVM of its own (tag {@code fuzz}). A long run, from
 * the repository root (up to {@code maxDuration}; crashes are written to the inputs directory,
 * commit them as seeds):
 * {@code JAZZER_FUZZ=1 mvn -B -o -pl zonemesh-proxy -am test -Dtest=Http1DecoderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("fuzz")
class Http1DecoderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decodesAnyBytesSafelyAndAlikeHoweverSplit(byte[] input) {
        List<String> whole = decode(input, input.length == 0 ? 1 : input.length);
        // A split size derived from the input, so that a crash reproduces from the input alone.
        int piece = 1 + (Arrays.hashCode(input) & 31);
        List<String> split = decode(input, piece);

        assertThat(split).isEqualTo(whole);
        // After the first failure only further failures may follow (the scanner may refuse bytes
        // that Netty's decoder, already failed, discards): the exchange queue answers the first
        // and closes the connection, so nothing after it is ever served or forwarded.
        int refused = whole.indexOf("FAIL");
        if (refused >= 0) {
            assertThat(whole.subList(refused, whole.size()))
                    .as("decoded after a refusal: %s", whole)
                    .containsOnly("FAIL");
        }
    }

    private static List<String> decode(byte[] input, int piece) {
        ConnectionTimeouts timeouts = new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofHours(1));
        EmbeddedChannel channel = new EmbeddedChannel(
                timeouts.byteWatcher(),
                new Http1RequestScanner(),
                new HttpServerCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES, HttpLimits.MAX_CHUNK),
                timeouts);
        List<String> seen = new ArrayList<>();
        try {
            for (int at = 0; at < input.length; at += piece) {
                channel.writeInbound(Unpooled.copiedBuffer(input, at, Math.min(piece, input.length - at)));
                drain(channel, seen);
            }
            channel.checkException();
        } finally {
            channel.finishAndReleaseAll();
        }
        return seen;
    }

    private static void drain(EmbeddedChannel channel, List<String> seen) {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            try {
                summarize(msg, seen);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Request heads and ends, failures, and body bytes merged so that piece sizes do not show. */
    private static void summarize(Object msg, List<String> seen) {
        if (msg instanceof DecoderResultProvider provider
                && !provider.decoderResult().isSuccess()) {
            seen.add("FAIL");
            return;
        }
        if (msg instanceof HttpRequest request) {
            checkLetThrough(request);
            seen.add("REQ " + request.method() + " " + request.uri());
        }
        if (msg instanceof HttpContent content && content.content().isReadable()) {
            int last = seen.size() - 1;
            int bytes = content.content().readableBytes();
            if (last >= 0 && seen.get(last).startsWith("BODY ")) {
                seen.set(last, "BODY " + (Integer.parseInt(seen.get(last).substring(5)) + bytes));
            } else {
                seen.add("BODY " + bytes);
            }
        }
        if (msg instanceof LastHttpContent) {
            seen.add("END");
        }
    }

    private static void checkLetThrough(HttpRequest request) {
        HttpHeaders headers = request.headers();
        assertThat(headers.getAll(HttpHeaderNames.HOST)).hasSizeLessThanOrEqualTo(1);
        assertThat(headers.size()).isLessThanOrEqualTo(Http1RequestScanner.MAX_HEADERS);
        assertThat(request.protocolVersion()).isIn(HttpVersion.HTTP_1_0, HttpVersion.HTTP_1_1);
        List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!encodings.isEmpty()) {
            assertThat(encodings).hasSize(1);
            assertThat(encodings.get(0).strip()).isEqualToIgnoringCase("chunked");
            assertThat(headers.contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
        }
    }
}
