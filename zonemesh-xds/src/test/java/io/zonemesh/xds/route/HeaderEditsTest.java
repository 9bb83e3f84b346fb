package io.zonemesh.xds.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.zonemesh.model.istio.VirtualServiceConfig.HeaderOperations;
import io.zonemesh.model.istio.VirtualServiceConfig.Headers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderEditsTest {

    @Test
    void setOverwritesAddAppendsEachSortedSetFirst() {
        HeaderEdits e = HeaderEdits.of(new Headers(
                new HeaderOperations(Map.of("x-b", "1", "x-a", "2"), Map.of("x-c", "3"), List.of("x-drop")),
                new HeaderOperations(Map.of(), Map.of("x-served-by", "zonemesh"), List.of("server"))));

        assertThat(e.requestToAdd())
                .extracting(o -> o.getHeader().getKey() + "=" + o.getHeader().getValue())
                .containsExactly("x-a=2", "x-b=1", "x-c=3");
        assertThat(e.requestToAdd())
                .extracting(HeaderValueOption::getAppendAction)
                .containsExactly(
                        HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
                        HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD,
                        HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD);
        assertThat(e.requestToRemove()).containsExactly("x-drop");
        assertThat(e.responseToAdd()).extracting(o -> o.getHeader().getKey()).containsExactly("x-served-by");
        assertThat(e.responseToRemove()).containsExactly("server");
        assertThat(e.authority()).isNull();
    }

    @Test
    void authorityAndHostAreNotHeaderEditsButAHostRewrite() {
        HeaderEdits e = HeaderEdits.of(new Headers(
                new HeaderOperations(
                        Map.of(":authority", "set.example"),
                        Map.of("host", "add.example"),
                        List.of(":path", "Host", "x-gone")),
                HeaderOperations.NONE));

        assertThat(e.requestToAdd()).isEmpty();
        assertThat(e.requestToRemove()).containsExactly("x-gone");
        assertThat(e.authority()).isEqualTo("set.example");
        assertThat(HeaderEdits.of(new Headers(
                                new HeaderOperations(Map.of(), Map.of("Host", "a.example"), List.of()),
                                HeaderOperations.NONE))
                        .authority())
                .isEqualTo("a.example");
    }

    @Test
    void noHeadersNoEdits() {
        assertThat(HeaderEdits.of(null)).isEqualTo(HeaderEdits.NONE);
        assertThat(HeaderEdits.NONE.isEmpty()).isTrue();
    }
}
