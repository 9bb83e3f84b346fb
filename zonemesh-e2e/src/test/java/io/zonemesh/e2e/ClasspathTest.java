package io.zonemesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.expr.Expr;
import org.junit.jupiter.api.Test;

/**
 * Guards the dependency order XDS_INTEROP.md requires: java-control-plane's {@code api} jar and
 * grpc-xds's {@code dev.cel:protobuf} both carry {@code dev.cel.expr.*}, built for protobuf 3 and 4.
 * Only the protobuf-3 build works with the one protobuf 3.25.x on the classpath; the other fails with
 * {@code NoClassDefFoundError: com/google/protobuf/RuntimeVersion$RuntimeDomain} when first touched.
 */
class ClasspathTest {
    @Test
    void celExpressionClassesComeFromJavaControlPlaneAndInitialize() {
        String location =
                Expr.class.getProtectionDomain().getCodeSource().getLocation().toString();

        assertThat(location).contains("io/envoyproxy/controlplane/api/");
        assertThat(Expr.getDescriptor().getFullName()).isEqualTo("cel.expr.Expr");
        assertThat(Expr.newBuilder().setId(7).build().getId()).isEqualTo(7);
    }
}
