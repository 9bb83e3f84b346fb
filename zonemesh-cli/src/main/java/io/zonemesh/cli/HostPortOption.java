package io.zonemesh.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A {@code HOST:PORT} option value, as the long-running commands take their addresses. */
public final class HostPortOption {
    private HostPortOption() {}

    /**
     * Parses {@code value} of {@code option}; a malformed value or a port outside 0..65535 is a
     * usage error naming the option, not a stack trace.
     */
    public static InetSocketAddress parse(CommandSpec spec, String option, String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new IllegalArgumentException("no host");
            }
            return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) { // NumberFormatException too; InetSocketAddress: port out of range
            throw new ParameterException(
                    spec.commandLine(), option + ": '" + value + "' (expected: host:port, port 0..65535)");
        }
    }
}
