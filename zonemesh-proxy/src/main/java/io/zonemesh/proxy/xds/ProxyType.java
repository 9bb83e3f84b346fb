package io.zonemesh.proxy.xds;

/** The {@code PROXY_TYPE} node metadata value (XDS_SHAPES.md). */
public enum ProxyType {
    SIDECAR("sidecar"),
    ROUTER("router");

    private final String metadataValue;

    ProxyType(String metadataValue) {
        this.metadataValue = metadataValue;
    }

    /** The value sent in {@code node.metadata.PROXY_TYPE}. */
    public String metadataValue() {
        return metadataValue;
    }
}
