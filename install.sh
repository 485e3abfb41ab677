#!/usr/bin/env bash
# Installs the jpool Java kernel for Jupyter.
#
#   ./install.sh                 build, install Jupyter if missing (Debian/Ubuntu), install the kernelspec for this user
#   ./install.sh --sys-prefix    install the kernelspec into the Python environment's prefix (sys.prefix)
#   ./install.sh --prefix DIR    install the kernelspec under DIR/share/jupyter/kernels/jpool
#   ./install.sh --no-build      use the jar already in target/ (skip Maven)
#   ./install.sh --uninstall     remove the kernelspec (same --prefix/--sys-prefix as when installing)
#
# The kernel runs with the java of $JAVA_HOME when it is set, else the java on PATH, written into
# kernel.json as an absolute path. Running the script again replaces the installed kernel (harmless).
set -euo pipefail
cd "$(dirname "$0")"

NAME=jpool
build=1
uninstall=0
scope=(--user)
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --uninstall) uninstall=1 ;;
    --user) scope=(--user) ;;
    --sys-prefix) scope=(--sys-prefix) ;;
    --prefix) shift; [ $# -gt 0 ] || { echo "--prefix needs a directory" >&2; exit 2; }; scope=(--prefix "$1") ;;
    --prefix=*) scope=(--prefix "${1#--prefix=}") ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# Debian's jupyter is a Python script for /usr/bin/python3; prefer it over a python3 earlier on PATH
# that may lack the jupyter modules.
jupyter_cmd() {
  if [ -x /usr/bin/jupyter ]; then /usr/bin/jupyter "$@"; else jupyter "$@"; fi
}

if [ "$uninstall" = 1 ]; then
  if [ "${scope[0]}" = --prefix ]; then
    rm -rf "${scope[1]}/share/jupyter/kernels/$NAME"
  else
    jupyter_cmd kernelspec remove -f "$NAME" >/dev/null 2>&1 || true
  fi
  echo "jpool kernel removed."
  exit 0
fi

if ! command -v jupyter >/dev/null 2>&1 && [ ! -x /usr/bin/jupyter ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Jupyter is missing; installing it from the distribution's packages..."
    pkgs=(python3-jupyter-client jupyter-client python3-nbclient python3-nbformat python3-nbconvert
          jupyter-nbconvert jupyter-console jupyter-notebook)
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${pkgs[@]}"
  else
    echo "Jupyter is not installed. Install it first, e.g. 'pip install jupyter' or your system's" >&2
    echo "jupyter-notebook / jupyter-client / nbconvert packages, then run this script again." >&2
    exit 1
  fi
fi

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java || true)"
  [ -n "$JAVA" ] || { echo "java not found: install a JDK 17 or newer, or set JAVA_HOME" >&2; exit 1; }
  JAVA="$(cd "$(dirname "$JAVA")" && pwd -P)/$(basename "$JAVA")"
  # follow symbolic links (e.g. /usr/bin/java -> /etc/alternatives/java -> the JDK)
  while [ -L "$JAVA" ]; do
    link="$(readlink "$JAVA")"
    case "$link" in /*) JAVA="$link" ;; *) JAVA="$(dirname "$JAVA")/$link" ;; esac
  done
fi
if ! "$JAVA" --list-modules 2>/dev/null | grep -q '^jdk.jshell'; then
  echo "$JAVA has no jdk.jshell module: the kernel needs a full JDK 17 or newer" >&2
  exit 1
fi

if [ "$build" = 1 ]; then
  command -v mvn >/dev/null 2>&1 || { echo "Maven (mvn) is needed to build; or use --no-build with a built jar" >&2; exit 1; }
  echo "Building the kernel jar with Maven..."
  mvn -B -q package -DskipTests
fi
JAR="$(ls target/jpool-*-all.jar 2>/dev/null | head -n 1 || true)"
[ -n "$JAR" ] || { echo "no target/jpool-*-all.jar: build with 'mvn -B package -DskipTests' or drop --no-build" >&2; exit 1; }

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/$NAME"
cp kernel/* "$staging/$NAME/"
cp "$JAR" "$staging/$NAME/jpool-all.jar"
# the java that installed the kernel runs it: the template's first "java" becomes its absolute path
json_escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
edit_json() { # edit_json FILE AWK_PROGRAM [VAR=VALUE]: rewrite FILE through awk (portable, no GNU sed -i)
  local f="$1" prog="$2"; shift 2
  awk "$@" "$prog" "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}
edit_json "$staging/$NAME/kernel.json" '!done && /"java",/ { sub(/"java",/, "\"" java "\","); done = 1 } { print }' \
  -v java="$(json_escape "$JAVA")"

log="$staging/install.log"
jupyter_cmd kernelspec install --replace --name "$NAME" "${scope[@]}" "$staging/$NAME" >"$log" 2>&1 \
  || { cat "$log" >&2; exit 1; }
where="$(sed -n 's/.*Installed kernelspec [^ ]* in //p' "$log" | tail -n 1)"

# A class-data archive of the start-up path (JShell, javac, ZeroMQ) makes the kernel start faster.
# It is made for this java and this jar; if either changes, the JVM ignores it (-Xshare:auto).
if [ -n "$where" ] && [ -f "$where/kernel.json" ]; then
  rm -f "$where/jpool.jsa"
  if "$JAVA" -XX:ArchiveClassesAtExit="$where/jpool.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
       -cp "$where/jpool-all.jar" jpool.kernel.KernelMain --warmup >/dev/null 2>&1 && [ -s "$where/jpool.jsa" ]; then
    edit_json "$where/kernel.json" '{ print } /"-XX:\+UseSerialGC",/ { print "    \"-XX:SharedArchiveFile={resource_dir}/jpool.jsa\"," }'
  else
    rm -f "$where/jpool.jsa"
  fi
fi
echo "Installed the Java (jpool) kernel${where:+ in $where} (java: $JAVA)."
if [ "${scope[0]}" = --prefix ]; then
  echo "It is under ${scope[1]}/share/jupyter/kernels/$NAME; add ${scope[1]}/share/jupyter to JUPYTER_PATH if Jupyter does not look there."
fi
echo "Start it with:  jupyter console --kernel=$NAME   or   jupyter notebook  (choose \"Java (jpool)\")"
