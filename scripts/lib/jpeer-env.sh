# Sourced by scripts/*: finds the project root and the runnable jar, building it when missing
# or older than any source file. Build output goes to stderr so stdout stays for results.
export JPEER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JPEER_JAR="$JPEER_ROOT/osd-daemon/target/jpeer.jar"

jpeer_needs_build() {
  [ -f "$JPEER_JAR" ] || return 0
  [ -n "$(find "$JPEER_ROOT" -path "$JPEER_ROOT/out" -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -name '*.xml' -path '*/resources/*' \) \
      -newer "$JPEER_JAR" -print -quit 2>/dev/null)" ]
}

# JPEER_SKIP_BUILD=1: use the jar as it is (as scripts/cluster does); only its absence is an error.
jpeer_ensure_built() {
  if [ "${JPEER_SKIP_BUILD:-0}" = 1 ]; then
    [ -f "$JPEER_JAR" ] || {
      echo "jpeer: no $JPEER_JAR (JPEER_SKIP_BUILD=1)" >&2
      return 1
    }
    return 0
  fi
  if jpeer_needs_build; then
    echo "jpeer: building (mvn package -DskipTests)..." >&2
    (cd "$JPEER_ROOT" && mvn -q -B package -DskipTests 1>&2) || {
      echo "jpeer: build failed" >&2
      return 1
    }
  fi
}

# Runs the jar with one of its programs: jpeer_java osdctl status
jpeer_java() {
  exec java ${JPEER_JAVA_OPTS:-} -jar "$JPEER_JAR" "$@"
}
