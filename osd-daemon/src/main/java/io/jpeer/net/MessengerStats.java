package io.jpeer.net;

import java.util.concurrent.atomic.AtomicLong;

/** Counters a messenger keeps; bad input is counted so tests and operators can see it. */
final class MessengerStats {
  final AtomicLong framesIn = new AtomicLong();
  final AtomicLong framesOut = new AtomicLong();
  final AtomicLong badFrames = new AtomicLong();
  final AtomicLong refusedHandshakes = new AtomicLong();
  final AtomicLong closedForErrors = new AtomicLong();
  final AtomicLong idleClosed = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();

  Messenger.Stats snapshot() {
    return new Messenger.Stats(framesIn.get(), framesOut.get(), badFrames.get(), refusedHandshakes.get(),
        closedForErrors.get(), idleClosed.get(), reconnects.get());
  }
}
