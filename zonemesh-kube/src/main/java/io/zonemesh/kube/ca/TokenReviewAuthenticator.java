package io.zonemesh.kube.ca;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.Metadata;
import io.zonemesh.common.Nullable;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.AuthenticationException;
import io.zonemesh.security.ca.Authenticator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Authenticates a certificate request by its caller's Kubernetes service-account token, as
 * istiod's {@code security/pkg/server/ca/authenticate/kubeauth/kube_jwt.go} does: the bearer
 * token of the {@code authorization} header goes to the API server in a {@code TokenReview}
 * ({@code authentication.k8s.io/v1}) with the audience {@code istio-ca}, and the identity the API
 * server answers ({@code system:serviceaccount:<ns>:<sa>}) becomes
 * {@code spiffe://<trust domain>/ns/<ns>/sa/<sa>}. The CA signs that identity, never the one the
 * CSR names.
 *
 * <p>A request naming another cluster in its {@code ClusterID} header is refused: this control
 * plane only holds the credentials of its own cluster (istiod looks the cluster up among its
 * remote-cluster secrets, which zonemesh does not read yet). An absent or empty ClusterID means
 * the local cluster, as in istiod.
 *
 * <p>The review is a blocking call to the API server; the certificate service runs it on a gRPC
 * worker thread, never on an event loop.
 */
public final class TokenReviewAuthenticator implements Authenticator {
    /** Istio's {@code TOKEN_AUDIENCES} default ({@code pkg/security/security.go}). */
    public static final String AUDIENCE = "istio-ca";

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CLUSTER_ID = Metadata.Key.of("ClusterID", Metadata.ASCII_STRING_MARSHALLER);

    private static final String BEARER = "bearer ";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    private static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

    private final KubernetesClient client;
    private final String clusterId;
    private final String trustDomain;

    /**
     * @param clusterId this cluster's id ({@code --cluster-id}, istiod's CLUSTER_ID)
     * @param trustDomain the trust domain of the SPIFFE ids signed ({@code --trust-domain})
     */
    public TokenReviewAuthenticator(KubernetesClient client, String clusterId, String trustDomain) {
        this.client = Objects.requireNonNull(client, "client");
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    }

    @Override
    public SpiffeId authenticate(Metadata headers) throws AuthenticationException {
        String token = bearerToken(headers);
        String claimedCluster = headers.get(CLUSTER_ID);
        if (claimedCluster != null && !claimedCluster.isEmpty() && !claimedCluster.equals(clusterId)) {
            throw new AuthenticationException("ClusterID: " + claimedCluster + " (expected: " + clusterId
                    + ", the only cluster this control plane can review tokens of)");
        }
        TokenReview review = new TokenReviewBuilder()
                .withNewSpec()
                .withToken(token)
                .withAudiences(AUDIENCE)
                .endSpec()
                .build();
        TokenReview answer;
        try {
            answer = client.authentication().v1().tokenReviews().create(review);
        } catch (KubernetesClientException e) {
            throw new AuthenticationException(
                    "TokenReview: the API server could not review the token: " + e.getMessage(), e);
        }
        return identity(answer == null ? null : answer.getStatus());
    }

    private SpiffeId identity(@Nullable TokenReviewStatus status) throws AuthenticationException {
        if (status == null) {
            throw new AuthenticationException("TokenReview: the API server answered without a status");
        }
        if (status.getError() != null && !status.getError().isEmpty()) {
            throw new AuthenticationException(
                    "TokenReview: the service account authentication returns an error: " + status.getError());
        }
        if (!Boolean.TRUE.equals(status.getAuthenticated())) {
            throw new AuthenticationException("TokenReview: the token is not authenticated");
        }
        List<String> audiences = status.getAudiences();
        // The API server answers the audiences the token is valid for among those asked; an empty
        // list means it does not support audiences (an old API server), which istiod accepts too.
        if (audiences != null && !audiences.isEmpty() && !audiences.contains(AUDIENCE)) {
            throw new AuthenticationException(
                    "TokenReview: token audiences " + audiences + " (expected: " + AUDIENCE + ")");
        }
        UserInfo user = status.getUser();
        if (user == null || user.getGroups() == null || !user.getGroups().contains(SERVICE_ACCOUNTS_GROUP)) {
            throw new AuthenticationException(
                    "TokenReview: the token is not a service account (expected group " + SERVICE_ACCOUNTS_GROUP + ")");
        }
        String username = Objects.requireNonNullElse(user.getUsername(), "");
        String[] parts = username.split(":", -1);
        if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)
                || parts.length != 4
                || parts[2].isEmpty()
                || parts[3].isEmpty()) {
            throw new AuthenticationException("TokenReview: username: " + username
                    + " (expected: system:serviceaccount:<namespace>:<service account>)");
        }
        return new SpiffeId(trustDomain, parts[2], parts[3]);
    }

    private static String bearerToken(Metadata headers) throws AuthenticationException {
        String value = headers.get(AUTHORIZATION);
        if (value == null || value.isEmpty()) {
            throw new AuthenticationException("authorization: missing (expected: Bearer <service account token>)");
        }
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)
                || value.substring(BEARER.length()).isBlank()) {
            throw new AuthenticationException(
                    "authorization: not a bearer token (expected: Bearer <service account token>)");
        }
        return value.substring(BEARER.length()).trim();
    }
}
