package io.zonemesh.cli.proxyconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** istioctl's cell rules and orderings on hand-made admin JSON (the live mesh has few variants). */
class ProxyConfigTablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void tabWriterPadsEveryCellButTheLastAsGosTabwriter() {
        String table = new TabWriter(5)
                .row("A", "BB", "")
                .row("CCC", "D", "x")
                .row("é", "", "y")
                .toString();
        assertThat(table).isEqualTo("A       BB     \n" + "CCC     D      x\n" + "é" + " ".repeat(14) + "y\n");
    }

    @Test
    void subsetKeysParseAsIstiosParseSubsetKey() {
        assertThat(SubsetKey.parse("outbound|9080|v1|reviews.default.svc.cluster.local"))
                .isEqualTo(new SubsetKey("outbound", 9080, "v1", "reviews.default.svc.cluster.local", true));
        assertThat(SubsetKey.parse("inbound|80||")).isEqualTo(new SubsetKey("inbound", 80, "", "", true));
        assertThat(SubsetKey.parse("outbound|http||x")).isEqualTo(new SubsetKey("outbound", 0, "", "x", true));
        assertThat(SubsetKey.parse("BlackHoleCluster")).isEqualTo(new SubsetKey("", 0, "", "BlackHoleCluster", false));
    }

    @Test
    void clustersSortByFqdnSubsetPortDirectionAndNonIstioNamesGetDashes() throws Exception {
        JsonNode dump = json("{'configs':[{'@type':'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',"
                + "'dynamic_active_clusters':[{'cluster':{'name':'outbound|9080|v2|reviews.default.svc.cluster.local','type':'EDS'}},"
                + "{'cluster':{'name':'outbound|9080|v1|reviews.default.svc.cluster.local','type':'EDS',"
                + "'metadata':{'filter_metadata':{'istio':{'config':'/apis/networking.istio.io/v1alpha3/namespaces/default/destination-rule/reviews'}}}}},"
                + "{'cluster':{'name':'inbound|80||','type':'STATIC'}}],"
                + "'static_clusters':[{'cluster':{'name':'BlackHoleCluster'}}]}]}");
        List<JsonNode> clusters =
                ClusterSummary.select(new ConfigDumpJson(dump), new ClusterSummary.Filter("", 0, "", ""));
        assertThat(ClusterSummary.table(clusters).rows())
                .containsExactly(
                        List.of("SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE"),
                        List.of("", "80", "-", "inbound", "STATIC", ""),
                        List.of("BlackHoleCluster", "-", "-", "-", "STATIC", ""),
                        List.of(
                                "reviews.default.svc.cluster.local",
                                "9080",
                                "v1",
                                "outbound",
                                "EDS",
                                "reviews.default"),
                        List.of("reviews.default.svc.cluster.local", "9080", "v2", "outbound", "EDS", ""));
        assertThat(ClusterSummary.select(
                        new ConfigDumpJson(dump), new ClusterSummary.Filter("reviews", 9080, "v2", "outbound")))
                .extracting(c -> c.path("name").asText())
                .containsExactly("outbound|9080|v2|reviews.default.svc.cluster.local");
    }

    @Test
    void endpointsSortByAddressThenPortThenClusterWithOutlierAndLocality() throws Exception {
        JsonNode clusters = json("{'cluster_statuses':["
                + "{'name':'b','host_statuses':[{'address':{'socket_address':{'address':'10.0.0.2','port_value':9080}},"
                + "'health_status':{'eds_health_status':'HEALTHY','failed_outlier_check':true},'priority':1,'weight':3,"
                + "'locality':{'region':'r','zone':'z','sub_zone':'s'}}]},"
                + "{'name':'a','host_statuses':[{'address':{'socket_address':{'address':'10.0.0.2','port_value':9080}},"
                + "'health_status':{'eds_health_status':'UNHEALTHY'},'locality':{'region':'r'}},"
                + "{'address':{'socket_address':{'address':'10.0.0.10','port_value':80}},'health_status':{}},"
                + "{'address':{'socket_address':{'address':'10.0.0.2','port_value':80}},'health_status':{'eds_health_status':'HEALTHY'}},"
                + "{'address':{'pipe':{'path':'/tmp/sock'}},'health_status':{'eds_health_status':'HEALTHY'}}]}]}");
        EndpointSummary.Filter all = new EndpointSummary.Filter("", 0, "", "");
        assertThat(EndpointSummary.table(EndpointSummary.select(clusters, all), true)
                        .rows())
                .containsExactly(
                        List.of("ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER", "LOCALITY", "PRIORITY", "WEIGHT"),
                        List.of("10.0.0.10:80", "UNKNOWN", "OK", "a", "", "0", "0"),
                        List.of("10.0.0.2:80", "HEALTHY", "OK", "a", "", "0", "0"),
                        List.of("10.0.0.2:9080", "UNHEALTHY", "OK", "a", "r", "0", "0"),
                        List.of("10.0.0.2:9080", "HEALTHY", "FAILED", "b", "r/z/s", "1", "3"),
                        List.of("unix:///tmp/sock", "HEALTHY", "OK", "a", "", "0", "0"));
        EndpointSummary.Filter filter = new EndpointSummary.Filter("10.0.0.2", 9080, "", "healthy");
        assertThat(EndpointSummary.select(clusters, filter))
                .extracting(EndpointSummary.Row::cluster)
                .containsExactly("b");
        assertThat(EndpointSummary.clusterStatuses(clusters, new EndpointSummary.Filter("", 0, "A", "")))
                .extracting(c -> c.path("name").asText())
                .containsExactly("a");
    }

    @Test
    void listenerMatchesAndDestinationsReadAsIstioctl() throws Exception {
        assertThat(ListenerMatches.describe(json("{'server_names':['a','b'],'transport_protocol':'tls',"
                        + "'application_protocols':['istio-peer-exchange','istio'],'destination_port':9080,"
                        + "'prefix_ranges':[{'address_prefix':'10.0.0.0','prefix_len':8}]}")))
                .isEqualTo("SNI: a,b; Trans: tls; App: TCP TLS; Addr: 10.0.0.0/8:9080");
        assertThat(ListenerMatches.describe(json("{'application_protocols':['h2'],'destination_port':80}")))
                .isEqualTo("App: h2; Addr: *:80");
        assertThat(ListenerMatches.describe(json("{}"))).isEqualTo("ALL");
        assertThat(ListenerMatches.destination(json(
                        "[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'cluster':'outbound|80||x'}}]")))
                .isEqualTo("Cluster: outbound|80||x");
        assertThat(
                        ListenerMatches.destination(
                                json(
                                        "[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'cluster':'PassthroughCluster'}}]")))
                .isEqualTo("PassthroughCluster");
        assertThat(ListenerMatches.destination(json(
                        "[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'cluster':'BlackHoleCluster'}}]")))
                .isEqualTo("Non-HTTP/Non-TCP");
        assertThat(
                        ListenerMatches.destination(
                                json(
                                        "[{'name':'envoy.filters.network.http_connection_manager','typed_config':"
                                                + "{'route_config':{'virtual_hosts':[{'domains':['*'],'routes':[{'match':{'prefix':'/'},'route':{'cluster':'inbound|80||'}}]}]}}}]")))
                .isEqualTo("Cluster: inbound|80||");
        assertThat(
                        ListenerMatches.destination(
                                json(
                                        "[{'name':'envoy.filters.network.http_connection_manager','typed_config':"
                                                + "{'route_config':{'virtual_hosts':[{'domains':['a','b'],'routes':[{'match':{'path':'/x'}},{'match':{'safe_regex':{'regex':'.*'}}}]}]}}}]")))
                .isEqualTo("Inline Route: a/b /x, regex .*");
        JsonNode mixed =
                json("{'filter_chains':[{'filters':[{'name':'envoy.filters.network.http_connection_manager'}]},"
                        + "{'filters':[{'name':'envoy.filters.network.tcp_proxy','typed_config':{'cluster':'x'}}]}]}");
        assertThat(ListenerSummary.type(mixed)).isEqualTo("HTTP+TCP");
    }

    @Test
    void routeRowsNameDomainsMatchAndVirtualService() throws Exception {
        assertThat(RouteSummary.describeDomains(List.of(
                        "reviews.default.svc.cluster.local:9080",
                        "reviews.default.svc.cluster.local",
                        "reviews",
                        "reviews.default.svc",
                        "reviews.default",
                        "[fd00:10:96::7fc7]",
                        "[fd00:10:96::7fc7]:9080",
                        "10.0.0.1")))
                .isEqualTo("reviews, reviews.default + 2 more...");
        assertThat(RouteSummary.describeDomains(List.of("only:80"))).isEqualTo("only:80");
        JsonNode dump = json("{'configs':[{'@type':'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',"
                + "'dynamic_route_configs':[{'route_config':{'name':'9080','virtual_hosts':["
                + "{'domains':['reviews','reviews:9080'],'routes':[{'match':{'prefix':'/'},'route':{'cluster':'c'},"
                + "'metadata':{'filter_metadata':{'istio':{'config':'/apis/networking.istio.io/v1alpha3/namespaces/default/virtual-service/reviews'}}}}]},"
                + "{'domains':['*'],'routes':[{'match':{'prefix':'/'},'route':{'cluster':'PassthroughCluster'}}]},"
                + "{'domains':['empty']}]}},"
                + "{'route_config':{'name':'80'}}]}]}");
        List<JsonNode> routes = RouteSummary.select(new ConfigDumpJson(dump), "");
        assertThat(routes).extracting(r -> r.path("name").asText()).containsExactly("80", "9080");
        assertThat(RouteSummary.table(routes, true).rows())
                .containsExactly(
                        List.of("NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE"),
                        List.of("9080", "reviews", "/*", "reviews.default"),
                        List.of("9080", "empty", "/*", "404"));
        assertThat(RouteSummary.table(routes, false).rows())
                .containsExactly(List.of("NAME", "VIRTUAL HOSTS"), List.of("80", "0"), List.of("9080", "3"));
    }

    @Test
    void jsonIsIndentedAsGoWithoutTheAnyType() throws Exception {
        assertThat(OutputFormat.JSON.printResources(List.of(json("{'@type':'t','name':'a','empty':{},'list':[]}"))))
                .isEqualTo(
                        "[\n    {\n        \"name\": \"a\",\n        \"empty\": {},\n        \"list\": []\n    }\n]\n");
        assertThat(OutputFormat.YAML.printResources(List.of(json("{'name':'a'}"))))
                .isEqualTo("- name: a\n");
    }
}
