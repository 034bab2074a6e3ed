package io.jpeer.net;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message type numbers and how to parse each payload. A frame whose type is not registered is an
 * error that closes its connection.
 */
public final class MessageRegistry {
  private record Entry(String name, Parser<? extends Message> parser) {}

  private final Map<Integer, Entry> types = new ConcurrentHashMap<>();

  public <M extends Message> MessageRegistry register(int type, String name, Parser<M> parser) {
    if (type >= 1 && type <= 99) {
      throw new IllegalArgumentException("types 1-99 belong to the messenger: " + type + " " + name);
    }
    Entry old = types.putIfAbsent(type, new Entry(name, parser));
    if (old != null && !old.name.equals(name)) {
      throw new IllegalArgumentException("message type " + type + " is " + old.name + ", not " + name);
    }
    return this;
  }

  public boolean knows(int type) {
    return types.containsKey(type);
  }

  /** Every registered type number, ascending. */
  public java.util.SortedSet<Integer> types() {
    return new java.util.TreeSet<>(types.keySet());
  }

  public String name(int type) {
    Entry e = types.get(type);
    return e == null ? "type " + type : e.name;
  }

  Message parse(int type, com.google.protobuf.ByteString payload) throws InvalidProtocolBufferException {
    Entry e = types.get(type);
    if (e == null) {
      throw new InvalidProtocolBufferException("unknown message type " + type);
    }
    return e.parser.parseFrom(payload);
  }
}
