package io.jpeer.core.types;

/**
 * Object names and their one order: byte-wise comparison of the name (names are ASCII, so
 * {@link String#compareTo} is byte-wise). {@code MIN} and {@code MAX} are reserved sentinels used
 * for last_backfill: MIN sorts before every name, MAX after.
 */
public final class ObjectNames {
  public static final String MIN = "MIN";
  public static final String MAX = "MAX";

  private ObjectNames() {}

  /** Null when valid, else the reason. Names: 1-64 of {@code A-Z a-z 0-9 _ . : -}, not MIN/MAX. */
  public static String invalidReason(String name) {
    if (name.isEmpty() || name.length() > 64) {
      return "object name must be 1 to 64 characters";
    }
    if (name.equals(MIN) || name.equals(MAX)) {
      return "object name " + name + " is reserved";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == ':' || c == '-';
      if (!ok) {
        return "object name has a character outside A-Z a-z 0-9 _ . : -";
      }
    }
    return null;
  }

  /** Compares two bounds or names, with MIN/MAX as sentinels. */
  public static int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(MIN) || b.equals(MAX)) {
      return -1;
    }
    if (a.equals(MAX) || b.equals(MIN)) {
      return 1;
    }
    return a.compareTo(b);
  }

  /** True when {@code oid} is at or below {@code lastBackfill} (the backfilled part). */
  public static boolean withinBackfill(String oid, String lastBackfill) {
    return compare(oid, lastBackfill) <= 0;
  }
}
