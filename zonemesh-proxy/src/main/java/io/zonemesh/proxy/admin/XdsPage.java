package io.zonemesh.proxy.admin;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsStatus;
import java.util.Objects;

/** {@code /xds}: the ADS stream state and, per type, the last ACKed version and the last NACK. */
final class XdsPage {
    private XdsPage() {}

    static Struct status(XdsStatus status) {
        Struct.Builder types = Struct.newBuilder();
        for (ResourceType type : ResourceType.values()) {
            XdsStatus.TypeStatus t = status.type(type);
            ListValue.Builder names = ListValue.newBuilder();
            t.subscribed().forEach(n -> names.addValues(string(n)));
            Struct.Builder entry = Struct.newBuilder()
                    .putFields("type_url", string(type.typeUrl()))
                    .putFields("acked_version", string(t.ackedVersion()))
                    .putFields("nonce", string(t.nonce()))
                    .putFields("resources", number(t.resourceCount()))
                    .putFields(
                            "subscribed", Value.newBuilder().setListValue(names).build());
            if (t.nackError() != null) {
                entry.putFields("nacked_version", string(Objects.toString(t.nackedVersion(), "")))
                        .putFields("nack_error", string(t.nackError()));
            }
            types.putFields(
                    type.kind(), Value.newBuilder().setStructValue(entry).build());
        }
        return Struct.newBuilder()
                .putFields(
                        "connected",
                        Value.newBuilder().setBoolValue(status.connected()).build())
                .putFields("streams_opened", number(status.streamsOpened()))
                .putFields("types", Value.newBuilder().setStructValue(types).build())
                .build();
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value number(long n) {
        return Value.newBuilder().setNumberValue((double) n).build();
    }
}
