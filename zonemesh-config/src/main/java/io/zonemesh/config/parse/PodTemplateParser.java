package io.zonemesh.config.parse;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.k8s.PodTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parts of a pod (a Deployment's template or a bare Pod) that zonemesh uses. */
final class PodTemplateParser {
    private PodTemplateParser() {}

    /**
     * @param metadata the template's (or Pod's) metadata: its labels and annotations are the pod's
     * @param path where the pod spec sits ({@code spec} or {@code spec.template.spec})
     */
    static PodTemplate parse(@Nullable ObjectMeta metadata, @Nullable PodSpec spec, FieldPath path, ParseContext ctx) {
        PodSpec s = spec == null ? new PodSpec() : spec;
        List<PodTemplate.Container> containers = new ArrayList<>();
        List<Container> in = Values.list(s.getContainers());
        if (in.isEmpty()) {
            ctx.missing(path.field("containers"), "at least one container");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            Container c = in.get(i);
            if (c != null) {
                containers.add(container(c, path.field("containers").index(i), names, ctx));
            }
        }
        return new PodTemplate(
                Values.strings(metadata == null ? null : metadata.getLabels()),
                Values.strings(metadata == null ? null : metadata.getAnnotations()),
                Values.strings(s.getNodeSelector()),
                s.getNodeName(),
                s.getServiceAccountName() != null ? s.getServiceAccountName() : s.getServiceAccount(),
                containers);
    }

    private static PodTemplate.Container container(Container c, FieldPath path, Set<String> names, ParseContext ctx) {
        String name = c.getName() == null ? "" : c.getName();
        if (ctx.require(path.field("name"), c.getName(), "a container name")) {
            String problem = Names.dns1123Label(name);
            if (problem != null) {
                ctx.invalid(path.field("name"), problem);
            } else if (!names.add(name)) {
                ctx.invalid(path.field("name"), '"' + name + "\" (expected: a name no other container of the pod has)");
            }
        }
        // Only literal values are known without a cluster; valueFrom (secrets, downward API) is left out.
        Map<String, String> env = new LinkedHashMap<>();
        List<EnvVar> vars = Values.list(c.getEnv());
        for (int i = 0; i < vars.size(); i++) {
            EnvVar v = vars.get(i);
            if (v == null) {
                continue;
            }
            if (ctx.require(path.field("env").index(i).field("name"), v.getName(), "an environment variable name")
                    && v.getValueFrom() == null) {
                env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
            }
        }
        List<PodTemplate.ContainerPort> ports = new ArrayList<>();
        List<ContainerPort> in = Values.list(c.getPorts());
        for (int i = 0; i < in.size(); i++) {
            ContainerPort p = in.get(i);
            if (p == null) {
                continue;
            }
            FieldPath pp = path.field("ports").index(i);
            Integer number = ctx.port(pp.field("containerPort"), p.getContainerPort());
            if (p.getContainerPort() == null) {
                ctx.missing(pp.field("containerPort"), "a port number 1..65535");
            }
            String nameProblem = p.getName() == null ? null : Names.ianaServiceName(p.getName());
            if (nameProblem != null) {
                ctx.invalid(pp.field("name"), nameProblem);
            }
            if (number != null) {
                ports.add(new PodTemplate.ContainerPort(
                        p.getName(), number, p.getProtocol() == null ? "TCP" : p.getProtocol()));
            }
        }
        return new PodTemplate.Container(name, c.getImage(), env, ports);
    }
}
