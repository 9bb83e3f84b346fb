package io.zonemesh.cli.mesh;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the proxy a {@code [deployment/]NAME[.NAMESPACE]} argument names in a running local mesh,
 * as istioctl reads its pod argument: the namespace follows the last dot; {@code deployment/}
 * takes the Deployment's first pod. A plain name is a pod's name, else a Deployment's with a
 * single pod; without a namespace every namespace is searched. A name matching no proxy, or
 * more than one, is an error listing the candidates.
 */
public final class PodResolver {
    private PodResolver() {}

    public static MeshStateFile.Proxy resolve(List<MeshStateFile.Proxy> proxies, String argument) {
        String name = argument;
        boolean deployment = false;
        for (String prefix : List.of("deployment/", "deploy/", "pod/", "po/")) {
            if (name.startsWith(prefix)) {
                deployment = prefix.startsWith("deploy");
                name = name.substring(prefix.length());
            }
        }
        int dot = name.lastIndexOf('.');
        String namespace = dot < 0 ? null : name.substring(dot + 1);
        String pod = dot < 0 ? name : name.substring(0, dot);
        Predicate<MeshStateFile.Proxy> inNamespace =
                p -> namespace == null || p.namespace().equals(namespace);
        List<MeshStateFile.Proxy> sorted = proxies.stream()
                .sorted(Comparator.comparing(MeshStateFile.Proxy::namespace).thenComparing(MeshStateFile.Proxy::pod))
                .toList();
        List<MeshStateFile.Proxy> byOwner = sorted.stream()
                .filter(inNamespace)
                .filter(p -> p.owner().equals(pod))
                .toList();
        if (deployment) {
            if (byOwner.isEmpty()) {
                throw new IllegalArgumentException(
                        "deployment: '" + argument + "' has no proxy (expected one of: " + owners(sorted) + ")");
            }
            // istioctl takes a Deployment's first pod; one namespace must hold the Deployment.
            return unique(
                    argument,
                    byOwner.stream()
                            .filter(p -> p.namespace().equals(byOwner.get(0).namespace()))
                            .limit(1)
                            .toList(),
                    sorted,
                    byOwner);
        }
        List<MeshStateFile.Proxy> byPod = sorted.stream()
                .filter(inNamespace)
                .filter(p -> p.pod().equals(pod))
                .toList();
        List<MeshStateFile.Proxy> matches = byPod.isEmpty() ? byOwner : byPod;
        return unique(argument, matches, sorted, matches);
    }

    private static MeshStateFile.Proxy unique(
            String argument,
            List<MeshStateFile.Proxy> matches,
            List<MeshStateFile.Proxy> all,
            List<MeshStateFile.Proxy> candidates) {
        if (matches.size() == 1
                && candidates.stream()
                                .map(MeshStateFile.Proxy::namespace)
                                .distinct()
                                .count()
                        == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException(
                    "pod: '" + argument + "' names no proxy of the running mesh (expected one of: " + names(all) + ")");
        }
        throw new IllegalArgumentException(
                "pod: '" + argument + "' is ambiguous (matches: " + names(candidates) + "; name one as POD.NAMESPACE)");
    }

    private static String names(List<MeshStateFile.Proxy> proxies) {
        return proxies.stream().map(p -> p.pod() + "." + p.namespace()).collect(Collectors.joining(", "));
    }

    private static String owners(List<MeshStateFile.Proxy> proxies) {
        return proxies.stream()
                .map(p -> "deployment/" + p.owner() + "." + p.namespace())
                .distinct()
                .collect(Collectors.joining(", "));
    }
}
