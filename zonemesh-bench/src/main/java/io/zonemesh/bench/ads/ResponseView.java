package io.zonemesh.bench.ads;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code DiscoveryResponse} as a simulated proxy needs it: type, version, nonce, and the
 * resources' bytes only for the types whose names it reads (CDS, LDS). Parsing skips the load
 * assignments without copying them, so 1,000 clients can take multi-megabyte EDS pushes on one
 * or two threads and the harness measures the control plane, not its own protobuf parsing.
 *
 * @param resources the serialized {@code Any}s, empty for types other than CDS and LDS
 * @param resourceCount how many resources the response carried
 */
public record ResponseView(
        String typeUrl, String version, String nonce, List<ByteString> resources, int resourceCount, int bytes) {

    public ResponseView {
        resources = List.copyOf(resources);
    }

    /** The gRPC marshaller that produces views; responses are never sent by the client. */
    public static final MethodDescriptor.Marshaller<ResponseView> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(ResponseView value) {
            throw new UnsupportedOperationException("responses are only parsed");
        }

        @Override
        public ResponseView parse(InputStream stream) {
            try {
                return parse(stream.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private ResponseView parse(byte[] data) throws IOException {
            // envoy.service.discovery.v3.DiscoveryResponse: 1 version_info, 2 resources, 4 type_url, 5 nonce.
            CodedInputStream in = CodedInputStream.newInstance(data);
            String version = "";
            String typeUrl = "";
            String nonce = "";
            List<int[]> slices = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> version = in.readStringRequireUtf8();
                    case 2 -> {
                        int length = in.readRawVarint32();
                        slices.add(new int[] {in.getTotalBytesRead(), length});
                        in.skipRawBytes(length);
                    }
                    case 4 -> typeUrl = in.readStringRequireUtf8();
                    case 5 -> nonce = in.readStringRequireUtf8();
                    default -> in.skipField(tag);
                }
            }
            List<ByteString> resources = new ArrayList<>();
            if (XdsTypes.keepsResources(typeUrl)) {
                for (int[] s : slices) {
                    // The array is not shared or reused: wrapping it without a copy is safe.
                    resources.add(UnsafeByteOperations.unsafeWrap(data, s[0], s[1]));
                }
            }
            return new ResponseView(typeUrl, version, nonce, resources, slices.size(), data.length);
        }
    };
}
