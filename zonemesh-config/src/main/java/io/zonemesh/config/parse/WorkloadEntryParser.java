package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.WorkloadEntryConfig;

/** A stand-alone {@code WorkloadEntry}: a VM or local process that joins the mesh. */
final class WorkloadEntryParser {
    private WorkloadEntryParser() {}

    static @Nullable WorkloadEntryConfig parse(@Nullable WorkloadEntry in, ParseContext ctx) {
        WorkloadEntryConfig.Spec spec =
                WorkloadEntrySpecs.parse(in == null ? new WorkloadEntry() : in, FieldPath.of("spec"), null, ctx);
        return spec == null ? null : new WorkloadEntryConfig(ctx.meta(), spec);
    }
}
