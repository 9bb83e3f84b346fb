package io.zonemesh.proxy.tcp;

/**
 * Hears about proxied TCP connections (Istio's TCP metrics): opened once, bytes as deltas
 * periodically and at close, closed once. Called on the connection's event loop; must not block.
 */
public interface TcpObserver {
    /** Hears nothing. */
    TcpObserver NONE = new TcpObserver() {
        @Override
        public void onOpened(TcpConnectionRecord record) {}

        @Override
        public void onBytes(TcpConnectionRecord record, long received, long sent) {}

        @Override
        public void onClosed(TcpConnectionRecord record) {}
    };

    /** The connection reached its upstream, or (if it never did) it is about to be reported closed. */
    void onOpened(TcpConnectionRecord record);

    /**
     * Bytes since the last report: {@code received} from the downstream, {@code sent} to it.
     * Never both zero.
     */
    void onBytes(TcpConnectionRecord record, long received, long sent);

    void onClosed(TcpConnectionRecord record);
}
