package io.jpeer.osd;

import io.jpeer.net.MessageRegistry;
import io.jpeer.proto.osd.MOSDPing;

/** Message type numbers between OSDs (range 200-299); bodies are in proto/.../osd.proto. */
public final class OsdMessages {
  public static final int MOSD_PING = 200;

  private OsdMessages() {}

  public static MessageRegistry registerAll(MessageRegistry r) {
    return r.register(MOSD_PING, "MOSDPing", MOSDPing.parser());
  }
}
