package io.zonemesh.xds.locality;

import java.util.List;

/**
 * What {@code zonemesh x explain} shows: the priority table one proxy gets for one cluster, and
 * why. Built by {@code io.zonemesh.xds.LoadAssignmentExplainer} from the generator's own output.
 *
 * @param cluster the cluster name, {@code outbound|port|subset|host}
 * @param proxy the proxy, {@code pod.namespace}
 * @param proxyLocality the proxy's locality as the control plane resolved it
 * @param setting which locality setting applies and where it came from
 * @param clusterReasons decisions that apply to the whole cluster (outlier gate, no locality LB)
 * @param rows one per {@code LocalityLbEndpoints}, in the assignment's order
 * @param excluded endpoints of the cluster the assignment leaves out ({@code distribute}), priority -1
 */
public record LocalityExplanation(
        String cluster,
        String proxy,
        String proxyLocality,
        String setting,
        List<String> clusterReasons,
        List<Row> rows,
        List<Row> excluded) {

    public LocalityExplanation {
        clusterReasons = List.copyOf(clusterReasons);
        rows = List.copyOf(rows);
        excluded = List.copyOf(excluded);
    }

    /** One locality at one priority. */
    public record Row(String locality, int priority, int weight, List<EndpointRow> endpoints, List<String> reasons) {
        public Row {
            endpoints = List.copyOf(endpoints);
            reasons = List.copyOf(reasons);
        }
    }

    /** One endpoint as the EDS carries it. */
    public record EndpointRow(String address, String health) {}
}
