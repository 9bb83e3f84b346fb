package io.zonemesh.config.yaml;

import java.util.Locale;

/** Sizes in messages: the exact count, and MiB when it is large. */
public final class Sizes {
    private static final long MIB = 1L << 20;

    private Sizes() {}

    /** E.g. {@code "52,428,800 bytes (50.0 MiB)"} or {@code "900 characters"}. */
    public static String describe(long count, String unit) {
        String exact = String.format(Locale.ROOT, "%,d %s", count, unit);
        return count < MIB ? exact : exact + String.format(Locale.ROOT, " (%.1f MiB)", count / (double) MIB);
    }
}
