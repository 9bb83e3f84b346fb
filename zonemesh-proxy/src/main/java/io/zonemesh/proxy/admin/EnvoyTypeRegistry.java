package io.zonemesh.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON type registry of {@code /config_dump}: every message of every Envoy, xDS and udpa API
 * file the proxy is built against, so any {@code Any} a control plane can send prints. A
 * registry of only the types the parsers interpret is not enough: the proxy accepts optional
 * HTTP filters (and ignores typed extensions) of any type, keeps them in the resource, and
 * JsonFormat fails the whole dump on one unknown type URL (a 500, as it did for fault filters).
 *
 * <p>The API artifact has no index of its files, so this reads its class names (the jar, or a
 * directory when run from classes) and loads the generated {@code *Proto} (or, where a message
 * took that name, {@code *ProtoOuterClass}) outer classes, whose
 * {@code getDescriptor()} is the file. That takes about a second and 10 MB of heap, so it is done
 * once per JVM, the first time a dump asks, on a thread of its own: never on an event loop, and
 * not at all in a proxy nobody dumps.
 */
final class EnvoyTypeRegistry {
    private static final Logger log = LoggerFactory.getLogger(EnvoyTypeRegistry.class);
    /** The API artifact's generated packages holding message types (annotation-only files aside). */
    private static final List<String> PACKAGES = List.of("io/envoyproxy/envoy/", "com/github/xds/", "com/github/udpa/");

    private static final CompletableFuture<JsonFormat.TypeRegistry> REGISTRY = new CompletableFuture<>();
    private static volatile boolean started;

    private EnvoyTypeRegistry() {}

    /** The registry, built on first use on a daemon thread; complete at once after that. */
    static CompletableFuture<JsonFormat.TypeRegistry> get() {
        if (!started) {
            synchronized (EnvoyTypeRegistry.class) {
                if (!started) {
                    started = true;
                    Thread builder = new Thread(EnvoyTypeRegistry::build, "zonemesh-admin-types");
                    builder.setDaemon(true);
                    builder.start();
                }
            }
        }
        return REGISTRY;
    }

    private static void build() {
        try {
            JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
            List<Descriptors.FileDescriptor> files = apiFiles();
            for (Descriptors.FileDescriptor file : files) {
                registry.add(file.getMessageTypes());
            }
            // Well-known types a typed_config may carry directly (Struct is Istio's favourite).
            registry.add(List.of(
                    Any.getDescriptor(),
                    Struct.getDescriptor(),
                    Duration.getDescriptor(),
                    Timestamp.getDescriptor(),
                    Empty.getDescriptor(),
                    FieldMask.getDescriptor(),
                    UInt32Value.getDescriptor()));
            log.debug("config_dump type registry: {} API files", files.size());
            REGISTRY.complete(registry.build());
        } catch (RuntimeException | LinkageError e) {
            REGISTRY.completeExceptionally(e);
        }
    }

    /** The file descriptors of every generated outer class of the API packages. */
    static List<Descriptors.FileDescriptor> apiFiles() {
        ClassLoader loader = HttpConnectionManager.class.getClassLoader();
        List<Descriptors.FileDescriptor> files = new ArrayList<>();
        for (String className : outerClassNames(codeLocation())) {
            try {
                Method getDescriptor = Class.forName(className, true, loader).getMethod("getDescriptor");
                if (getDescriptor.invoke(null) instanceof Descriptors.FileDescriptor file) {
                    files.add(file);
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // A class named *Proto that is not a generated file class (or needs a missing
                // optional dependency): its types cannot reach this proxy either.
                log.debug("not an API file class: {}", className, e);
            }
        }
        return files;
    }

    /** Where the API classes were loaded from: a jar, or a directory of classes. */
    static Path codeLocation() {
        try {
            return Path.of(HttpConnectionManager.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Envoy API classes: unreadable code source", e);
        }
    }

    /** Every entry name (jar or directory, '/'-separated) under the code location. */
    static List<String> entryNames(Path location) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> walk = Files.walk(location)) {
                    walk.filter(Files::isRegularFile)
                            .forEach(p ->
                                    names.add(location.relativize(p).toString().replace('\\', '/')));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        names.add(e.nextElement().getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Envoy API classes: cannot list " + location, e);
        }
        return names;
    }

    private static List<String> outerClassNames(Path location) {
        List<String> classes = new ArrayList<>();
        for (String name : entryNames(location)) {
            // "...ProtoOuterClass" where protoc's name would clash with a message named "...Proto".
            if ((name.endsWith("Proto.class") || name.endsWith("ProtoOuterClass.class"))
                    && name.indexOf('$') < 0
                    && PACKAGES.stream().anyMatch(name::startsWith)) {
                classes.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            }
        }
        return classes;
    }
}
