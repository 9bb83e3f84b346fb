package io.zonemesh.cli.explain;

import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code POD[.NAMESPACE]} or {@code deployment/NAME[.NAMESPACE]} to one proxy of the
 * running mesh, as istioctl names pods.
 */
final class ProxyArgument {
    private static final String DEPLOYMENT = "deployment/";

    private ProxyArgument() {}

    static MeshStateFile.Proxy resolve(List<MeshStateFile.Proxy> proxies, String argument) {
        boolean byOwner = argument.startsWith(DEPLOYMENT);
        String name = byOwner ? argument.substring(DEPLOYMENT.length()) : argument;
        // A name is tried whole first: pod names may themselves contain dots.
        List<MeshStateFile.Proxy> found = matching(proxies, name, null, byOwner);
        int dot = name.lastIndexOf('.');
        if (found.isEmpty() && dot > 0) {
            found = matching(proxies, name.substring(0, dot), name.substring(dot + 1), byOwner);
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        List<String> names = new ArrayList<>();
        (found.isEmpty() ? proxies : found).forEach(p -> names.add(p.pod() + "." + p.namespace()));
        throw new IllegalArgumentException("proxy: " + argument + " (expected "
                + (found.isEmpty() ? "one of: " : "a unique match, add the namespace; candidates: ")
                + String.join(", ", names) + ")");
    }

    private static List<MeshStateFile.Proxy> matching(
            List<MeshStateFile.Proxy> proxies, String name, @Nullable String namespace, boolean byOwner) {
        List<MeshStateFile.Proxy> out = new ArrayList<>();
        for (MeshStateFile.Proxy p : proxies) {
            if ((byOwner ? p.owner() : p.pod()).equals(name)
                    && (namespace == null || p.namespace().equals(namespace))) {
                out.add(p);
            }
        }
        if (byOwner && out.size() > 1) {
            // deployment/NAME picks its first pod, as kubectl does.
            out.sort((a, b) -> a.pod().compareTo(b.pod()));
            return List.of(out.get(0));
        }
        return out;
    }
}
