# syntax=docker/dockerfile:1
# The zonemesh image the manifests in deploy/ name: one image for the control plane
# (`zonemesh control-plane`), sidecars and gateways (`zonemesh proxy`) and the init container
# (`zonemesh proxy-init`, hence iptables).
#
#   docker build -t zonemesh/zonemesh:0.1.0 .
#
# Not part of `mvn verify` (no registry is reachable where it runs). Jib builds the same image
# without Docker: zonemesh-cli/pom.xml.

# 1. Build the CLI as ./zonemesh does (tests skipped: `mvn -B verify` is CI's job). The cache
#    mount keeps ~/.m2 between builds.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl zonemesh-cli -am package

# 2. The runtime: a JRE, iptables (both the nft and the legacy variant: proxy-init uses the
#    one the node's kernel rules are in) and iproute2 (proxy-init's `ip rule`/`ip route` for
#    TPROXY). Also the base image for Jib's -Djib.from.image.
#    TPROXY capture (the injector's default) needs IP_TRANSPARENT, i.e. CAP_NET_ADMIN, in the
#    proxy, which runs as UID 1337: Kubernetes gives a non-root container no ambient
#    capabilities, so java carries it as a file capability. A binary with file capabilities runs
#    in the dynamic linker's secure mode, which ignores the $ORIGIN rpath java finds libjli.so
#    by, hence the JDK's lib directory in ld.so.conf.
FROM eclipse-temurin:17-jre AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends iptables iproute2 libcap2-bin \
    && setcap cap_net_admin+ep "$(readlink -f "$JAVA_HOME/bin/java")" \
    && echo "$JAVA_HOME/lib" > /etc/ld.so.conf.d/zonemesh-java.conf && ldconfig \
    && rm -rf /var/lib/apt/lists/*

# 3. The image: the CLI jar with its libraries, and `zonemesh` on the PATH.
FROM runtime
COPY --from=build /src/zonemesh-cli/target/zonemesh.jar /app/zonemesh.jar
COPY --from=build /src/zonemesh-cli/target/lib/ /app/lib/
COPY --chmod=755 zonemesh-cli/src/main/jib/usr/local/bin/zonemesh /usr/local/bin/zonemesh
# Istio's proxy user: the capture rules exempt UID 1337's own traffic. The init container runs
# as root (its pod spec says so), everything else as this user.
USER 1337:1337
EXPOSE 15010 15014 15017
ENTRYPOINT ["/usr/local/bin/zonemesh"]
