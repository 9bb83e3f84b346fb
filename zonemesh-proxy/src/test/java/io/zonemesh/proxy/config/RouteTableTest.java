package io.zonemesh.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static VirtualHostConfig host(String name, String... domains) {
        return new VirtualHostConfig(
                name,
                List.of(domains),
                List.of(new RouteRule("r", new PathMatcher.Prefix("/", true), List.of(), RouteAction.toCluster(name))));
    }

    private static String match(RouteTable table, String authority) {
        VirtualHostConfig host = table.findVirtualHost(authority);
        return host == null ? null : host.name();
    }

    @Test
    void exactDomainWinsOverEveryWildcard() {
        RouteTable table = new RouteTable(
                "t",
                List.of(
                        host("any", "*"),
                        host("suffix", "*.sample:5000"),
                        host("prefix", "helloworld.*"),
                        host("exact", "helloworld.sample:5000")));

        assertThat(match(table, "helloworld.sample:5000")).isEqualTo("exact");
    }

    @Test
    void longestSuffixWildcardWinsOverShorterSuffixAndPrefix() {
        RouteTable table = new RouteTable(
                "t",
                List.of(
                        host("short", "*.com"),
                        host("long", "*-bar.baz.com"),
                        host("mid", "*.baz.com"),
                        host("prefix", "foo-*")));

        assertThat(match(table, "foo-bar.baz.com")).isEqualTo("long");
        assertThat(match(table, "x.baz.com")).isEqualTo("mid");
        assertThat(match(table, "other.com")).isEqualTo("short");
    }

    @Test
    void portSuffixWildcardMatchesAnyHostOnThatPort() {
        RouteTable table = new RouteTable(
                "inbound|http", List.of(host("5000", "*:5000"), host("9080", "*:9080"), host("default", "*")));

        assertThat(match(table, "helloworld.sample:5000")).isEqualTo("5000");
        assertThat(match(table, "10.1.2.3:9080")).isEqualTo("9080");
        assertThat(match(table, "helloworld.sample:7000")).isEqualTo("default");
        assertThat(match(table, "helloworld.sample")).isEqualTo("default");
    }

    @Test
    void prefixWildcardIsUsedWhenNoSuffixMatches() {
        RouteTable table =
                new RouteTable("t", List.of(host("short", "api.*"), host("long", "api.v1.*"), host("suffix", "*.org")));

        assertThat(match(table, "api.v1.example.com")).isEqualTo("long");
        assertThat(match(table, "api.example.com")).isEqualTo("short");
        assertThat(match(table, "api.example.org")).isEqualTo("suffix");
    }

    @Test
    void wildcardNeverMatchesTheEmptyString() {
        RouteTable table = new RouteTable("t", List.of(host("suffix", "*.foo.com"), host("prefix", "foo.*")));

        assertThat(match(table, ".foo.com")).isNull();
        assertThat(match(table, "foo.")).isNull();
        assertThat(match(table, "a.foo.com")).isEqualTo("suffix");
    }

    @Test
    void matchingIsCaseInsensitive() {
        RouteTable table =
                new RouteTable("t", List.of(host("exact", "HelloWorld.Sample:5000"), host("suffix", "*.Example.COM")));

        assertThat(match(table, "helloworld.SAMPLE:5000")).isEqualTo("exact");
        assertThat(match(table, "WWW.example.com")).isEqualTo("suffix");
    }

    @Test
    void unmatchedAuthorityWithoutDefaultHostFindsNothing() {
        RouteTable table = new RouteTable("t", List.of(host("exact", "helloworld.sample:5000")));

        assertThat(match(table, "helloworld.sample:5001")).isNull();
        assertThat(table.findRoute("helloworld.sample:5001", "/", new DefaultHttpHeaders()))
                .isNull();
    }

    @Test
    void rejectsDuplicateDomainsAcrossVirtualHosts() {
        assertThatThrownBy(() -> new RouteTable("t", List.of(host("a", "x.com"), host("b", "X.com"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X.com");
        assertThatThrownBy(() -> new RouteTable("t", List.of(host("a", "*"), host("b", "*"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstMatchingRouteOfTheVirtualHostWins() {
        VirtualHostConfig host = new VirtualHostConfig(
                "h",
                List.of("*"),
                List.of(
                        new RouteRule(
                                "api", new PathMatcher.Prefix("/api", true), List.of(), RouteAction.toCluster("api")),
                        new RouteRule(
                                "all", new PathMatcher.Prefix("/", true), List.of(), RouteAction.toCluster("all")),
                        new RouteRule(
                                "never",
                                new PathMatcher.Prefix("/api/v2", true),
                                List.of(),
                                RouteAction.toCluster("never"))));
        RouteTable table = new RouteTable("t", List.of(host));

        assertThat(table.findRoute("x", "/api/v2/items", new DefaultHttpHeaders())
                        .name())
                .isEqualTo("api");
        assertThat(table.findRoute("x", "/other", new DefaultHttpHeaders()).name())
                .isEqualTo("all");
    }
}
