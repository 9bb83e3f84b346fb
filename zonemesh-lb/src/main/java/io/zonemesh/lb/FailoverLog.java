package io.zonemesh.lb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} failover events of one cluster, a ring buffer: the balancer's serial
 * executor appends, the admin page copies. The lock is held for an append or a copy of at most
 * {@link #CAPACITY} references, so a reader on an event loop never waits long.
 */
final class FailoverLog {
    /** As many as an operator reads on one screen; older events remain in the counter only. */
    static final int CAPACITY = 64;

    private final ArrayDeque<FailoverEvent> events = new ArrayDeque<>(CAPACITY);

    synchronized void add(FailoverEvent event) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** Oldest first. */
    synchronized List<FailoverEvent> events() {
        return List.copyOf(new ArrayList<>(events));
    }
}
