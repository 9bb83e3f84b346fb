package io.zonemesh.cli.top;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The loop of {@code top zones}: sample every proxy each interval and redraw the rates over the
 * window, or take two samples an interval apart and print once.
 *
 * @param window the rates span the oldest sample not older than this (at least the last interval)
 * @param maxRefreshes the loop's bound: it ends after this many redraws at the latest
 */
record ZonesTop(
        ZoneSampler sampler,
        Pacer pacer,
        Duration interval,
        Duration window,
        double pricePerGb,
        boolean json,
        int maxRefreshes) {
    /** ANSI: cursor home, clear the screen, as {@code top} redraws. */
    static final String CLEAR = "\u001b[H\u001b[2J";

    ZonesTop {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("--interval: " + interval + " (expected: > 0)");
        }
        if (window.compareTo(interval) < 0) {
            throw new IllegalArgumentException(
                    "--window: " + window + " (expected: at least --interval, " + interval + ")");
        }
        if (!(pricePerGb >= 0)) {
            throw new IllegalArgumentException("--price-per-gb: " + pricePerGb + " (expected: >= 0)");
        }
    }

    /** Two samples an interval apart, printed once; false when the wait was cut short. */
    boolean once(PrintWriter out) throws InterruptedException {
        ZoneSample first = sampler.sample();
        if (!pacer.await(interval)) {
            return false;
        }
        ZoneSample second = sampler.sample();
        print(out, ZoneRates.between(first, second), second, false);
        return true;
    }

    /** Redraws every interval until the pacer stops or {@code maxRefreshes} redraws. */
    void live(PrintWriter out) throws InterruptedException {
        Deque<ZoneSample> history = new ArrayDeque<>();
        history.add(sampler.sample());
        for (int i = 0; i < maxRefreshes && pacer.await(interval); i++) {
            ZoneSample latest = sampler.sample();
            history.addLast(latest);
            // The rate spans the oldest sample still inside the window (always the previous one
            // at least); the history holds at most window / interval + 2 samples.
            while (history.size() > 2 && latest.nanos() - history.peekFirst().nanos() > window.toNanos()) {
                history.removeFirst();
            }
            print(out, ZoneRates.between(history.peekFirst(), latest), latest, true);
        }
    }

    private void print(PrintWriter out, ZoneRates rates, ZoneSample latest, boolean redraw) {
        String page = json ? ZonesView.json(rates, latest, pricePerGb) : ZonesView.text(rates, latest, pricePerGb);
        out.print(redraw && !json ? CLEAR + page : page);
        out.flush();
    }
}
