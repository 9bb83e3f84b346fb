package io.zonemesh.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.zonemesh.kube.discovery.RemoteSecrets;
import io.zonemesh.kube.inject.InjectionPolicy;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The install manifests in the repository's deploy/ read into fabric8's models, and hang together:
 * kustomization.yaml lists every file, Services select a Deployment and target its container
 * ports, the webhook calls the control plane's Service, bindings name accounts and roles that
 * exist, and the CRDs cover the Istio kinds the ClusterRole lets the control plane read.
 */
class DeployManifestsTest {
    /** Surefire runs in the module's directory; deploy/ is one level up. */
    private static final Path DEPLOY = Path.of("..", "deploy");

    private static final String NAMESPACE = "zonemesh-system";
    private static final String IMAGE = "zonemesh/zonemesh:0.1.0";

    /** The kinds deploy/ may hold, each with the fabric8 model it must read into. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Namespace", Namespace.class,
            "ServiceAccount", ServiceAccount.class,
            "ClusterRole", ClusterRole.class,
            "ClusterRoleBinding", ClusterRoleBinding.class,
            "Role", Role.class,
            "RoleBinding", RoleBinding.class,
            "Deployment", Deployment.class,
            "Service", Service.class,
            "MutatingWebhookConfiguration", MutatingWebhookConfiguration.class,
            "CustomResourceDefinition", CustomResourceDefinition.class);

    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "MutatingWebhookConfiguration",
            "CustomResourceDefinition");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper MODEL = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final List<HasMetadata> resources = new ArrayList<>();

    @BeforeAll
    static void readEveryManifest() throws IOException {
        for (Path file : manifestFiles()) {
            List<JsonNode> documents;
            try (var parser = YAML.createParser(Files.readString(file, StandardCharsets.UTF_8))) {
                documents = YAML.readValues(parser, JsonNode.class).readAll();
            }
            for (JsonNode document : documents) {
                String kind = document.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                assertThat(type)
                        .as("%s: kind '%s' (expected one of %s)", file, kind, KINDS.keySet())
                        .isNotNull();
                HasMetadata resource = MODEL.treeToValue(document, type);
                List<String> unknown = new ArrayList<>();
                unknownFields(resource, kind, unknown);
                // fabric8's models keep fields they do not know instead of failing: a misspelt
                // field (readinesProbe) would otherwise be applied and silently ignored.
                assertThat(unknown)
                        .as("%s: fields the Kubernetes API does not have", file)
                        .isEmpty();
                resources.add(resource);
            }
        }
    }

    @Test
    void kustomizationListsEveryManifestAndNothingElse() throws IOException {
        JsonNode kustomization =
                YAML.readTree(DEPLOY.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = manifestFiles().stream()
                .map(f -> f.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(files);
        try (Stream<Path> all = Files.list(DEPLOY)) {
            assertThat(all.map(f -> f.getFileName().toString()))
                    .as("deploy/ holds only manifests, the kustomization and the optional addons/")
                    .allMatch(name -> name.endsWith(".yaml") || name.equals("addons"));
        }
    }

    @Test
    void everyResourceIsNamedAndNamespacedWhereItBelongs() {
        Set<String> seen = new HashSet<>();
        assertThat(resources).isNotEmpty();
        for (HasMetadata r : resources) {
            String name = r.getMetadata().getName();
            assertThat(name).as("name of a %s", r.getKind()).isNotBlank();
            String ns = r.getMetadata().getNamespace();
            if (CLUSTER_SCOPED.contains(r.getKind())) {
                assertThat(ns).as("%s/%s is cluster-scoped", r.getKind(), name).isNull();
            } else {
                assertThat(ns).as("namespace of %s/%s", r.getKind(), name).isEqualTo(NAMESPACE);
            }
            assertThat(seen.add(r.getKind() + "/" + ns + "/" + name))
                    .as("duplicate %s/%s", r.getKind(), name)
                    .isTrue();
        }
        assertThat(all(Namespace.class))
                .extracting(n -> n.getMetadata().getName())
                .containsExactly(NAMESPACE);
    }

    @Test
    void everyServiceSelectsOneDeploymentAndTargetsItsContainerPorts() {
        for (Service service : all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            List<Deployment> selected = all(Deployment.class).stream()
                    .filter(d -> d.getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()
                            .entrySet()
                            .containsAll(selector.entrySet()))
                    .toList();
            assertThat(selected)
                    .as("Deployments that Service %s selects", name(service))
                    .hasSize(1);
            Deployment deployment = selected.get(0);
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(containerPort(deployment, port.getTargetPort()))
                        .as(
                                "Service %s port %s targets a container port of %s",
                                name(service), port.getName(), name(deployment))
                        .isNotNull();
            }
        }
    }

    @Test
    void controlPlaneServesXdsDebugAndTheWebhookOnIstiodsPorts() {
        Service service = one(Service.class, "zonemesh-control-plane");
        assertThat(service.getSpec().getPorts())
                .extracting(p -> p.getPort() + "->" + p.getTargetPort().getIntVal())
                .containsExactlyInAnyOrder("15010->15010", "15012->15012", "15014->15014", "443->15017");
        Deployment deployment = one(Deployment.class, "zonemesh-control-plane");
        var container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).containsExactly("zonemesh");
        assertThat(container.getArgs())
                .startsWith("control-plane")
                .contains("--xds=0.0.0.0:15010", "--xds-tls=0.0.0.0:15012", "--debug=0.0.0.0:15014");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getIntVal())
                .isEqualTo(15014);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("zonemesh-control-plane");
    }

    @Test
    void theWebhookCallsTheControlPlanesServiceOnInjectedNamespaces() {
        MutatingWebhookConfiguration config = one(MutatingWebhookConfiguration.class, "zonemesh-sidecar-injector");
        assertThat(config.getWebhooks()).isNotEmpty();
        for (MutatingWebhook webhook : config.getWebhooks()) {
            ServiceReference ref = webhook.getClientConfig().getService();
            Service service = one(Service.class, ref.getName());
            assertThat(ref.getNamespace()).isEqualTo(service.getMetadata().getNamespace());
            assertThat(ref.getPath()).isEqualTo("/inject");
            assertThat(service.getSpec().getPorts())
                    .extracting(ServicePort::getPort)
                    .contains(ref.getPort());
            assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
            assertThat(webhook.getSideEffects()).isEqualTo("None");
            assertThat(webhook.getRules()).singleElement().satisfies(rule -> {
                assertThat(rule.getOperations()).containsExactly("CREATE");
                assertThat(rule.getResources()).containsExactly("pods");
            });
        }
    }

    /**
     * The API server's selectors and istiod's model of them (InjectionPolicy.webhookSelects, after
     * Istio's mutatingwebhook.yaml) agree on every combination of the labels involved.
     */
    @Test
    void theWebhooksSelectorsAreIstiosForTheDefaultRevision() {
        MutatingWebhookConfiguration config = one(MutatingWebhookConfiguration.class, "zonemesh-sidecar-injector");
        List<Map<String, String>> namespaces = List.of(
                Map.of(),
                Map.of("istio-injection", "enabled"),
                Map.of("istio-injection", "disabled"),
                Map.of("istio.io/rev", "default"),
                Map.of("istio.io/rev", "canary"),
                Map.of("istio-injection", "enabled", "istio.io/rev", "canary"));
        List<Map<String, String>> pods = List.of(
                Map.of(),
                Map.of("sidecar.istio.io/inject", "true"),
                Map.of("sidecar.istio.io/inject", "false"),
                Map.of("istio.io/rev", "default"),
                Map.of("istio.io/rev", "canary"),
                Map.of("istio.io/rev", "default", "sidecar.istio.io/inject", "false"),
                Map.of("istio.io/rev", "canary", "sidecar.istio.io/inject", "true"));
        for (Map<String, String> ns : namespaces) {
            for (Map<String, String> pod : pods) {
                boolean called = config.getWebhooks().stream()
                        .anyMatch(w -> matches(w.getNamespaceSelector(), ns) && matches(w.getObjectSelector(), pod));
                assertThat(called)
                        .as("namespace %s, pod %s", ns, pod)
                        .isEqualTo(InjectionPolicy.webhookSelects(ns, pod, "default"));
            }
        }
    }

    @Test
    void theGatewayIsProbedOnIstiosStatusPortAndExposesIt() {
        Deployment gateway = one(Deployment.class, "zonemesh-ingressgateway");
        Container proxy =
                gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(proxy.getArgs()).contains("--status=0.0.0.0:15021");
        Probe probe = proxy.getReadinessProbe();
        assertThat(probe.getHttpGet().getPath()).isEqualTo("/healthz/ready");
        assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(15021);
        assertThat(List.of(
                        probe.getInitialDelaySeconds(),
                        probe.getPeriodSeconds(),
                        probe.getTimeoutSeconds(),
                        probe.getFailureThreshold()))
                .containsExactly(0, 15, 3, 4);
        assertThat(one(Service.class, "zonemesh-ingressgateway").getSpec().getPorts())
                .anySatisfy(p -> {
                    assertThat(p.getName()).isEqualTo("status-port");
                    assertThat(p.getPort()).isEqualTo(15021);
                });
    }

    /** A label selector (matchLabels and matchExpressions) against labels, as the API server applies it. */
    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null
                && !selector.getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        for (LabelSelectorRequirement r :
                Objects.requireNonNullElse(selector.getMatchExpressions(), List.<LabelSelectorRequirement>of())) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("operator " + r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Test
    void bindingsNameAccountsAndRolesThatExistAndDeploymentsRunAsThem() {
        List<RoleRef> refs = new ArrayList<>();
        List<Subject> subjects = new ArrayList<>();
        all(ClusterRoleBinding.class).forEach(b -> {
            refs.add(b.getRoleRef());
            subjects.addAll(b.getSubjects());
        });
        all(RoleBinding.class).forEach(b -> {
            refs.add(b.getRoleRef());
            subjects.addAll(b.getSubjects());
        });
        assertThat(refs).isNotEmpty();
        for (RoleRef ref : refs) {
            Class<? extends HasMetadata> type = ref.getKind().equals("ClusterRole") ? ClusterRole.class : Role.class;
            one(type, ref.getName());
        }
        for (Subject subject : subjects) {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(one(ServiceAccount.class, subject.getName())
                            .getMetadata()
                            .getNamespace())
                    .isEqualTo(subject.getNamespace());
        }
        for (Deployment d : all(Deployment.class)) {
            one(ServiceAccount.class, d.getSpec().getTemplate().getSpec().getServiceAccountName());
            assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                    .allSatisfy(c -> assertThat(c.getImage()).isEqualTo(IMAGE));
        }
    }

    @Test
    void theControlPlaneOnlyReadsAndItsRolesCoverWhatItWatches() {
        List<PolicyRule> rules =
                new ArrayList<>(one(ClusterRole.class, "zonemesh-control-plane").getRules());
        rules.addAll(one(Role.class, "zonemesh-control-plane").getRules());
        // What it writes: token reviews for the CA, its self-signed root's Secret in its namespace,
        // and the roots' ConfigMap istio-ca-root-cert in every namespace.
        List<PolicyRule> writes = rules.stream()
                .filter(r -> !r.getVerbs().equals(List.of("get", "list", "watch")))
                .toList();
        assertThat(writes)
                .extracting(r -> r.getApiGroups() + "/" + r.getResources() + ":" + r.getVerbs())
                .containsExactlyInAnyOrder(
                        "[authentication.k8s.io]/[tokenreviews]:[create]",
                        "[]/[secrets]:[get, list, watch, create]",
                        "[]/[configmaps]:[get, create, update]");
        rules.removeIf(r -> r.getApiGroups().contains("authentication.k8s.io"));
        Set<String> granted = rules.stream()
                .flatMap(r -> r.getApiGroups().stream()
                        .flatMap(g -> r.getResources().stream().map(res -> g + "/" + res)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(granted)
                .containsExactlyInAnyOrder(
                        "/namespaces",
                        "/nodes",
                        "/services",
                        "/pods",
                        "/serviceaccounts",
                        "/secrets",
                        "/configmaps",
                        "discovery.k8s.io/endpointslices",
                        "security.istio.io/peerauthentications",
                        "networking.istio.io/destinationrules",
                        "networking.istio.io/virtualservices",
                        "networking.istio.io/serviceentries",
                        "networking.istio.io/workloadentries",
                        "networking.istio.io/gateways",
                        "networking.istio.io/sidecars",
                        "telemetry.istio.io/telemetries");
        Set<String> crds = all(CustomResourceDefinition.class).stream()
                .map(c -> c.getSpec().getGroup() + "/" + c.getSpec().getNames().getPlural())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(crds)
                .isEqualTo(granted.stream()
                        .filter(g -> g.startsWith("networking.istio.io/")
                                || g.startsWith("security.istio.io/")
                                || g.startsWith("telemetry.istio.io/"))
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void theRemoteReaderCreateRemoteSecretNamesByDefaultOnlyReadsWhatTheControlPlaneDiscovers() {
        ServiceAccount reader = one(ServiceAccount.class, RemoteSecrets.DEFAULT_SERVICE_ACCOUNT);
        assertThat(reader.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        ClusterRoleBinding binding = all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream()
                        .anyMatch(sub -> sub.getName().equals(RemoteSecrets.DEFAULT_SERVICE_ACCOUNT)))
                .collect(Collectors.collectingAndThen(Collectors.toList(), bindings -> {
                    assertThat(bindings).hasSize(1);
                    return bindings.get(0);
                }));
        List<PolicyRule> rules =
                one(ClusterRole.class, binding.getRoleRef().getName()).getRules();
        assertThat(rules).allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("get", "list", "watch"));
        // The control plane's reads, less what only its own cluster's copy needs: its namespace's
        // Secrets (CA, remote secrets) and the ConfigMaps it writes.
        Set<String> controlPlaneReads = one(ClusterRole.class, "zonemesh-control-plane").getRules().stream()
                .filter(r -> r.getVerbs().equals(List.of("get", "list", "watch")))
                .flatMap(r -> r.getApiGroups().stream()
                        .flatMap(g -> r.getResources().stream().map(res -> g + "/" + res)))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> readerReads = rules.stream()
                .flatMap(r -> r.getApiGroups().stream()
                        .flatMap(g -> r.getResources().stream().map(res -> g + "/" + res)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(readerReads).isEqualTo(controlPlaneReads);
    }

    @Test
    void theCrdsServeIstiosVersionsWithStructuralSchemas() {
        for (CustomResourceDefinition crd : all(CustomResourceDefinition.class)) {
            assertThat(crd.getMetadata().getName())
                    .isEqualTo(crd.getSpec().getNames().getPlural() + "."
                            + crd.getSpec().getGroup());
            assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
            List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
            // As Istio's CRDs: networking kinds store v1alpha3 and serve v1beta1 and v1 too;
            // security.istio.io (PeerAuthentication) stores v1beta1 and serves v1; telemetry.istio.io
            // stores v1alpha1 and serves v1.
            String[] expected = switch (crd.getSpec().getGroup()) {
                case "security.istio.io" -> new String[] {"v1beta1", "v1"};
                case "telemetry.istio.io" -> new String[] {"v1alpha1", "v1"};
                default -> new String[] {"v1alpha3", "v1beta1", "v1"};
            };
            assertThat(versions)
                    .extracting(CustomResourceDefinitionVersion::getName)
                    .containsExactlyInAnyOrder(expected);
            assertThat(versions).allMatch(CustomResourceDefinitionVersion::getServed);
            assertThat(versions)
                    .filteredOn(CustomResourceDefinitionVersion::getStorage)
                    .extracting(CustomResourceDefinitionVersion::getName)
                    .as("the stored version is the first Istio lists")
                    .containsExactly(expected[0]);
            for (CustomResourceDefinitionVersion version : versions) {
                JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
                assertThat(schema.getType()).isEqualTo("object");
                JSONSchemaProps spec = schema.getProperties().get("spec");
                assertThat(spec.getType()).isEqualTo("object");
                assertThat(spec.getXKubernetesPreserveUnknownFields()).isTrue();
            }
        }
    }

    @Test
    void jibBuildsTheImageTheManifestsName() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<artifactId>jib-maven-plugin</artifactId>").contains("<image>" + IMAGE + "</image>");
    }

    /** Collects, depth first, every field path that landed in a model's additional properties. */
    private static void unknownFields(Object value, String path, List<String> out) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", out);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class
                    || Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter.toString(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
            } else if (!(value instanceof JSONSchemaProps)) {
                // A schema's free-form parts (x-kubernetes-preserve-unknown-fields) are data.
                unknownFields(child, path + "." + getter.getName().substring(3), out);
            }
        }
    }

    private static IntOrString containerPort(Deployment deployment, IntOrString target) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts().stream())
                .filter(p -> target.getIntVal() != null
                        ? Objects.equals(p.getContainerPort(), target.getIntVal())
                        : Objects.equals(p.getName(), target.getStrVal()))
                .map(p -> new IntOrString(p.getContainerPort()))
                .findFirst()
                .orElse(null);
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T one(Class<? extends T> type, String name) {
        List<? extends T> named = all(type).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .toList();
        assertThat(named)
                .as("%s named %s in deploy/", type.getSimpleName(), name)
                .hasSize(1);
        return named.get(0);
    }

    private static String name(HasMetadata r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }
}
