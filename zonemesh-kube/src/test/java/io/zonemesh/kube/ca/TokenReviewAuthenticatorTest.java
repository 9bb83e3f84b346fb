package io.zonemesh.kube.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.grpc.Metadata;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.AuthenticationException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TokenReview authenticator against fabric8's mock API server in expectation mode (its CRUD
 * mode stores a posted TokenReview instead of reviewing it): what it asks, and how it reads the
 * API server's answers, as istiod's {@code kube_jwt.go} and {@code k8sauthn.go}.
 */
@EnableKubernetesMockClient
class TokenReviewAuthenticatorTest {
    private static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

    KubernetesMockServer server;
    KubernetesClient client;

    private TokenReviewAuthenticator authenticator() {
        return new TokenReviewAuthenticator(client, "Kubernetes", "cluster.local");
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(TokenReviewAuthenticator.AUTHORIZATION, "Bearer " + token);
        return m;
    }

    private void answer(
            boolean authenticated, String username, List<String> groups, List<String> audiences, String error) {
        TokenReview review = new TokenReviewBuilder()
                .withNewStatus()
                .withAuthenticated(authenticated)
                .withAudiences(audiences)
                .withError(error)
                .withNewUser()
                .withUsername(username)
                .withGroups(groups)
                .endUser()
                .endStatus()
                .build();
        server.expect().post().withPath(PATH).andReturn(201, review).once();
    }

    @Test
    void signsTheServiceAccountTheApiServerVouchesForWithTheIstioCaAudience() throws Exception {
        answer(
                true,
                "system:serviceaccount:shop:reviews",
                List.of("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"),
                List.of("istio-ca"),
                null);

        SpiffeId id = authenticator().authenticate(bearer("the-jwt"));

        assertThat(id).isEqualTo(new SpiffeId("cluster.local", "shop", "reviews"));
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        TokenReview asked = Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class);
        assertThat(asked.getSpec().getToken()).isEqualTo("the-jwt");
        assertThat(asked.getSpec().getAudiences()).containsExactly("istio-ca");
    }

    @Test
    void theTrustDomainIsTheControlPlanesNotTheCallers() throws Exception {
        answer(true, "system:serviceaccount:ns1:sa1", List.of("system:serviceaccounts"), List.of(), null);

        SpiffeId id = new TokenReviewAuthenticator(client, "Kubernetes", "east.example").authenticate(bearer("jwt"));

        assertThat(id.uri()).isEqualTo("spiffe://east.example/ns/ns1/sa/sa1");
    }

    @Test
    void refusesATokenTheApiServerDoesNotAuthenticate() {
        answer(false, "", List.of(), List.of(), null);

        assertThatThrownBy(() -> authenticator().authenticate(bearer("forged")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("TokenReview: the token is not authenticated");
    }

    @Test
    void refusesAReviewError() {
        answer(false, "", List.of(), List.of(), "token expired");

        assertThatThrownBy(() -> authenticator().authenticate(bearer("old")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("returns an error: token expired");
    }

    @Test
    void refusesAUserThatIsNotAServiceAccount() {
        answer(true, "alice@example.com", List.of("system:authenticated"), List.of(), null);

        assertThatThrownBy(() -> authenticator().authenticate(bearer("user-token")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("not a service account");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        answer(true, "system:serviceaccount:a:b", List.of("system:serviceaccounts"), List.of("vault"), null);

        assertThatThrownBy(() -> authenticator().authenticate(bearer("jwt")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("TokenReview: token audiences [vault] (expected: istio-ca)");
    }

    @Test
    void refusesAMalformedServiceAccountName() {
        answer(true, "system:serviceaccount:onlyns", List.of("system:serviceaccounts"), List.of(), null);

        assertThatThrownBy(() -> authenticator().authenticate(bearer("jwt")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("username: system:serviceaccount:onlyns (expected: ");
    }

    @Test
    void refusesARequestWithoutABearerTokenWithoutAskingTheApiServer() {
        Metadata basic = new Metadata();
        basic.put(TokenReviewAuthenticator.AUTHORIZATION, "Basic dXNlcjpwdw==");

        assertThatThrownBy(() -> authenticator().authenticate(new Metadata()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("authorization: missing (expected: Bearer <service account token>)");
        assertThatThrownBy(() -> authenticator().authenticate(basic))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("authorization: not a bearer token");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refusesACallerClaimingAnotherCluster() {
        Metadata m = bearer("jwt");
        m.put(TokenReviewAuthenticator.CLUSTER_ID, "west");

        assertThatThrownBy(() -> authenticator().authenticate(m))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("ClusterID: west (expected: Kubernetes");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anApiServerFailureIsAnAuthenticationFailureNamingTheReview() {
        server.expect().post().withPath(PATH).andReturn(500, "boom").once();

        assertThatThrownBy(() -> authenticator().authenticate(bearer("jwt")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("TokenReview: the API server could not review the token");
    }
}
