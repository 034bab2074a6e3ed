package io.jpeer.net;

/** Who is at the other end: {@code mon.0}, {@code osd.3}, {@code client.4711}. */
public record EntityName(String type, long id) implements Comparable<EntityName> {
  public EntityName {
    if (!type.equals("mon") && !type.equals("osd") && !type.equals("client")) {
      throw new IllegalArgumentException("bad entity type '" + type + "' (mon, osd or client)");
    }
    if (id < 0) {
      throw new IllegalArgumentException("bad entity id " + id);
    }
  }

  /** Parses {@code TYPE.ID}; throws IllegalArgumentException naming the problem. */
  public static EntityName parse(String s) {
    int dot = s.indexOf('.');
    if (dot <= 0 || dot == s.length() - 1) {
      throw new IllegalArgumentException("bad entity name '" + s + "' (expected TYPE.ID, e.g. osd.3)");
    }
    long id;
    try {
      id = Long.parseLong(s.substring(dot + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad entity name '" + s + "' (id is not a number)");
    }
    return new EntityName(s.substring(0, dot), id);
  }

  public boolean isClient() {
    return type.equals("client");
  }

  @Override
  public int compareTo(EntityName o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : Long.compare(id, o.id);
  }

  @Override
  public String toString() {
    return type + "." + id;
  }
}
