package io.jpeer.net;

import com.google.protobuf.Message;

/** A message received: its type number, the sender (from the handshake), its map epoch and body. */
public record InboundMessage(int type, EntityName from, long epoch, Message body) {}
