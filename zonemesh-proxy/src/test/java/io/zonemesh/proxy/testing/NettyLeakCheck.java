package io.zonemesh.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (paranoid in every test JVM) reports a ByteBuf
 * that was garbage-collected without being released. Leaks surface only after a GC and the next
 * buffer allocation, so after the class the check collects garbage and allocates a few buffers,
 * a bounded number of times.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) throws ReflectiveOperationException {
        install();
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (int round = 0; round < 3 && LEAKS.isEmpty(); round++) {
            System.gc();
            for (int i = 0; i < 50; i++) {
                release(PooledByteBufAllocator.DEFAULT.buffer(16));
                release(UnpooledByteBufAllocator.DEFAULT.buffer(16));
            }
        }
        assertThat(LEAKS)
                .as("Netty buffers leaked by " + context.getDisplayName())
                .isEmpty();
    }

    private static void release(ByteBuf buffer) {
        buffer.release();
    }

    private static synchronized void install() throws ReflectiveOperationException {
        if (installed) {
            return;
        }
        // ByteBuf's detector is created once per JVM; attach a listener to it.
        Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);
        ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
        detector.setLeakListener((resourceType, records) -> LEAKS.add(resourceType + ": " + records));
        installed = true;
    }
}
