package io.zonemesh.xds;

import io.zonemesh.model.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * The authorities a virtual host answers for (docs/XDS_SHAPES.md "RouteConfiguration"), the
 * forms Istio's {@code generateVirtualHostDomains} produces for a Kubernetes host name.
 */
final class VirtualHostDomains {
    static final int DEFAULT_HTTP_PORT = 80;

    private VirtualHostDomains() {}

    /**
     * {@code <fqdn>:<port>}, and for a {@code <name>.<ns>.svc.<suffix>} host also
     * {@code <name>.<ns>.svc:<port>}, {@code <name>.<ns>:<port>} and, for a proxy in the service's
     * namespace, {@code <name>:<port>}; for port 80 each form also without the port, as a client
     * omits the default port from the authority.
     */
    static List<String> of(Service service, int port, String proxyNamespace, String domainSuffix) {
        return withPort(hostForms(service, proxyNamespace, domainSuffix), port);
    }

    /** Each form with {@code :<port>}, then, for port 80, each form as it is. */
    static List<String> withPort(List<String> forms, int port) {
        List<String> out = new ArrayList<>();
        for (String form : forms) {
            out.add(form + ":" + port);
        }
        if (port == DEFAULT_HTTP_PORT) {
            out.addAll(forms);
        }
        return out;
    }

    /** The names a caller in {@code proxyNamespace} may use for the service, most qualified first. */
    static List<String> hostForms(Service service, String proxyNamespace, String domainSuffix) {
        String host = service.hostname();
        List<String> forms = new ArrayList<>();
        forms.add(host);
        String kubeSuffix = ".svc." + domainSuffix;
        if (host.endsWith(kubeSuffix)) {
            String nameAndNamespace = host.substring(0, host.length() - kubeSuffix.length());
            int dot = nameAndNamespace.indexOf('.');
            if (dot > 0 && dot == nameAndNamespace.lastIndexOf('.') && dot < nameAndNamespace.length() - 1) {
                forms.add(nameAndNamespace + ".svc");
                forms.add(nameAndNamespace);
                if (nameAndNamespace.substring(dot + 1).equals(proxyNamespace)) {
                    forms.add(nameAndNamespace.substring(0, dot));
                }
            }
        }
        return forms;
    }
}
