# Sourced by deploy/container-test.sh: a Docker daemon, and the images the deploy files name, on any machine.
#
# - A daemon that answers (DOCKER_HOST, or /var/run/docker.sock) is used as it is; images come from its registry.
# - Otherwise, as root, Debian's docker.io is started in a network namespace of its own (nothing touches the host's
#   iptables or ip_forward, and the compose file's 127.0.0.1 ports land in that namespace, clashing with nothing), and
#   an image that is neither present nor pullable is built as a stand-in from Debian packages and tagged with the
#   exact name the deploy files use, so they run unmodified. That is this project's build machines, which reach no
#   container registry; ../shared/tools/containers-here.sh is the recipe this follows (and shares its cache with).
#   The stand-ins: eclipse-temurin:21-jre = Debian bookworm + a jlink'ed JRE of the JDK in $JDK; maven:3.9-eclipse-
#   temurin-21 = the same with the whole JDK, Maven and an offline ~/.m2 filled for this project's poms (rebuilt when a
#   pom changes); prom/prometheus:* = bookworm + Debian's prometheus package. grafana/grafana has none: Debian does not
#   package Grafana, so dh_can_run says no and the caller leaves it out.
#
# Sets: D (the docker client), DC (docker-compose), IN_NET (prefix that runs a host program where the published ports
# are: empty for a real daemon, nsenter into the namespace for the private one). Needs: root for the private daemon.

DH_WORK=${CONTAINERS_WORK:-${TMPDIR:-/tmp}/distribank-containers}
DH_NETNS=${DH_NETNS:-dbk-ctest}
DH_JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
DH_MAVEN_VERSION=3.9.9
DH_DPID=""
# The classic builder: it ignores a "# syntax=" line and uses local images (BuildKit would pull docker/dockerfile:1).
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
D=docker
DC=docker-compose
IN_NET=""

dh_log() { echo "docker-here: $*" >&2; }

# Start (or find) a daemon. Returns 1, saying why, when there is none and none can be started.
dh_up() {
  if [ -z "${DH_PRIVATE:-}" ] && command -v docker >/dev/null && docker version >/dev/null 2>&1; then
    dh_log "using the Docker daemon at ${DOCKER_HOST:-/var/run/docker.sock}"
    command -v docker-compose >/dev/null || DC="docker compose"
    return 0
  fi
  [ "$(id -u)" = 0 ] || { dh_log "no Docker daemon answers, and starting a private one needs root"; return 1; }
  dpkg -s docker.io docker-compose mmdebstrap >/dev/null 2>&1 || {
    dh_log "installing Debian's docker.io, docker-compose and mmdebstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      docker.io docker-compose mmdebstrap >/dev/null || return 1
  }
  mkdir -p "$DH_WORK"
  if [ -s "$DH_WORK/dockerd.pid" ] && kill -0 "$(cat "$DH_WORK/dockerd.pid")" 2>/dev/null; then
    dh_log "a private dockerd (pid $(cat "$DH_WORK/dockerd.pid")) already uses $DH_WORK; stop it or set CONTAINERS_WORK"
    return 1
  fi
  # Debian's 20.10 client; a newer /usr/local/bin/docker also talks to it, but prefers BuildKit.
  D=/usr/bin/docker DC=/usr/bin/docker-compose
  export DOCKER_HOST="unix://$DH_WORK/docker.sock"
  ip netns del "$DH_NETNS" 2>/dev/null || true
  ip netns add "$DH_NETNS" && ip -n "$DH_NETNS" link set lo up || return 1
  # nsenter, not `ip netns exec`: that remounts /sys, and dockerd then finds no devices cgroup.
  nsenter --net="/run/netns/$DH_NETNS" dockerd --data-root "$DH_WORK/docker-root" --exec-root "$DH_WORK/docker-exec" \
    -H "$DOCKER_HOST" --pidfile "$DH_WORK/dockerd.pid" --iptables=false --ip6tables=false --ip-forward=false \
    >"$DH_WORK/dockerd.log" 2>&1 &
  DH_DPID=$!
  local _
  for _ in $(seq 1 60); do $D version >/dev/null 2>&1 && break; sleep 1; done
  $D version >/dev/null 2>&1 || { dh_log "dockerd did not answer; see $DH_WORK/dockerd.log"; return 1; }
  IN_NET="nsenter --net=/run/netns/$DH_NETNS"
  dh_log "private dockerd (pid $DH_DPID) in network namespace $DH_NETNS, data in $DH_WORK"
}

# Stop what dh_up started: containers first (they hold volumes and mounts), then the daemon, then the namespace.
dh_down() {
  [ -n "$DH_DPID" ] || return 0
  $D ps -aq 2>/dev/null | xargs -r $D rm -f >/dev/null 2>&1 || true
  kill "$DH_DPID" 2>/dev/null || true
  wait "$DH_DPID" 2>/dev/null || true
  DH_DPID=""
  ip netns del "$DH_NETNS" 2>/dev/null || true
}

dh_have() { $D image inspect "$1" >/dev/null 2>&1; }

# True when IMAGE is here, can be pulled, or can be built as a stand-in.
dh_can_run() {
  dh_have "$1" && return 0
  [ -n "$DH_DPID" ] || return 0 # a real daemon: compose pulls it
  case "$1" in
    eclipse-temurin:*-jre | maven:*-eclipse-temurin-* | prom/prometheus:*) return 0 ;;
    *) return 1 ;;
  esac
}

# Make IMAGE available: already here, pulled, or (private daemon only) built as a stand-in. REPO is the project root.
dh_image() { # IMAGE REPO
  local image=$1 repo=$2
  if [ "$image" = "maven:3.9-eclipse-temurin-21" ] && [ -n "$DH_DPID" ]; then
    dh_maven_standin "$repo"; return
  fi
  dh_have "$image" && return 0
  [ -n "$DH_DPID" ] && timeout 20 $D pull -q "$image" >/dev/null 2>&1 && return 0
  [ -n "$DH_DPID" ] || { $D pull -q "$image" >/dev/null; return; }
  case "$image" in
    eclipse-temurin:*-jre) dh_jre_standin "$image" ;;
    prom/prometheus:*) dh_prometheus_standin "$image" ;;
    *) dh_log "no image $image here, no registry, and no stand-in for it"; return 1 ;;
  esac
}

dh_rootfs() { # NAME EXTRA-PACKAGES: a bookworm minbase tarball, made once, imported as local/NAME:base
  local name=$1 include=ca-certificates${2:+,$2}
  if [ ! -s "$DH_WORK/$name.tar" ]; then
    dh_log "mmdebstrap bookworm ($include) -> $DH_WORK/$name.tar"
    # The output's extension tells mmdebstrap the format: a .tar, written aside and moved in once whole.
    mmdebstrap --quiet --variant=minbase --include="$include" bookworm "$DH_WORK/$name.part.tar" \
      "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian-security bookworm-security main" &&
      mv "$DH_WORK/$name.part.tar" "$DH_WORK/$name.tar" || return 1
  fi
  dh_have "local/$name:base" || $D import "$DH_WORK/$name.tar" "local/$name:base" >/dev/null
}

dh_jre() { # a JRE jlink'ed from $DH_JDK, once (JEP 493: linking from the run-time image, so jdk.jlink stays out)
  [ -x "$DH_WORK/jre/bin/java" ] && return 0
  local mods
  mods=$("$DH_JDK/bin/java" --list-modules | sed 's/@.*//' | grep -v -x -E 'jdk\.(jlink|jpackage|jshell|javadoc|jdeps|jartool|compiler|hotspot\.agent|jconsole|jdi|jdwp\.agent|jstatd|editpad|graal\.compiler|graal\.compiler\.management|internal\.vm\.ci|internal\.ed|internal\.le|internal\.opt|internal\.jvmstat|jcmd)' | paste -sd,)
  "$DH_JDK/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files --output "$DH_WORK/jre"
}

dh_jre_standin() { # IMAGE
  dh_rootfs bookworm && dh_jre || return 1
  local ctx="$DH_WORK/ctx-jre"
  rm -rf "$ctx" && mkdir "$ctx" && cp -a "$DH_WORK/jre" "$ctx/jre"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM local/bookworm:base
COPY jre /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
EOF
  dh_log "stand-in $1: bookworm + a JRE jlink'ed from $DH_JDK"
  $D build -q -t "$1" "$ctx" >/dev/null; local rc=$?
  rm -rf "$ctx"; return $rc
}

# The Maven stand-in carries an offline repository filled by running, with the same Maven, what the Dockerfile runs:
# go-offline on the poms, then a package of the sources. Its tag records a hash of the poms, so a changed pom
# (a new dependency) rebuilds it and an unchanged one reuses it.
dh_maven_standin() { # REPO
  local repo=$1 image=maven:3.9-eclipse-temurin-21 poms hash
  poms=$(cd "$repo" && git ls-files --cached --others --exclude-standard '*pom.xml' 2>/dev/null || find . -name pom.xml -not -path '*/target/*')
  hash=$(cd "$repo" && cat $poms | sha256sum | cut -c1-12)
  if dh_have "local/maven-standin:$hash"; then $D tag "local/maven-standin:$hash" "$image"; return 0; fi
  dh_rootfs bookworm || return 1
  local mvn_tgz="$DH_WORK/m2tools/org/apache/maven/apache-maven/$DH_MAVEN_VERSION/apache-maven-$DH_MAVEN_VERSION-bin.tar.gz"
  [ -s "$mvn_tgz" ] || JAVA_HOME=$DH_JDK mvn -B -q -Dmaven.repo.local="$DH_WORK/m2tools" dependency:get \
    -Dartifact=org.apache.maven:apache-maven:$DH_MAVEN_VERSION:tar.gz:bin -Dtransitive=false || return 1
  [ -x "$DH_WORK/maven/bin/mvn" ] || { tar -C "$DH_WORK" -xzf "$mvn_tgz" && mv "$DH_WORK/apache-maven-$DH_MAVEN_VERSION" "$DH_WORK/maven"; }
  if [ ! -d "$DH_WORK/repo" ]; then # a seed; the steps below fetch the rest from Maven Central
    mkdir "$DH_WORK/repo" && { [ ! -d ~/.m2/repository ] || cp -a ~/.m2/repository/. "$DH_WORK/repo/"; }
  fi
  dh_log "filling the Maven stand-in's offline repository for poms $hash"
  local src="$DH_WORK/src" m="env JAVA_HOME=$DH_JDK $DH_WORK/maven/bin/mvn -B -q -Dmaven.repo.local=$DH_WORK/repo"
  rm -rf "$src" "$DH_WORK/poms" && mkdir -p "$src" "$DH_WORK/poms"
  (cd "$repo" && tar --exclude=.git --exclude=target --exclude=./data --exclude=node_modules -cf - .) | tar -C "$src" -xf -
  (cd "$src" && tar -cf - $poms) | tar -C "$DH_WORK/poms" -xf -
  (cd "$DH_WORK/poms" && $m org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline) &&
    (cd "$src" && $m -DskipTests package) || return 1
  rm -rf "$src" "$DH_WORK/poms"
  local ctx="$DH_WORK/ctx-mvn"
  rm -rf "$ctx" && mkdir "$ctx"
  cp -a "$DH_JDK" "$ctx/jdk" && cp -a "$DH_WORK/maven" "$ctx/maven" && cp -a "$DH_WORK/repo" "$ctx/repository"
  echo '<settings><offline>true</offline></settings>' >"$ctx/settings.xml" # the build network has no way out
  cat >"$ctx/Dockerfile" <<'EOF'
FROM local/bookworm:base
COPY jdk /opt/java/openjdk
COPY maven /usr/share/maven
COPY repository /root/.m2/repository
COPY settings.xml /root/.m2/settings.xml
RUN ln -s /usr/share/maven/bin/mvn /usr/bin/mvn
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin MAVEN_HOME=/usr/share/maven LANG=C.UTF-8
EOF
  dh_log "stand-in $image: bookworm + $DH_JDK + Maven $DH_MAVEN_VERSION + that repository"
  $D build -q -t "local/maven-standin:$hash" -t "$image" "$ctx" >/dev/null; local rc=$?
  rm -rf "$ctx"; return $rc
}

# Debian's Prometheus, laid out like the official image: ENTRYPOINT the binary, user nobody, data in /prometheus.
dh_prometheus_standin() { # IMAGE
  dh_rootfs bookworm-prometheus prometheus || return 1
  local ctx="$DH_WORK/ctx-prom"
  rm -rf "$ctx" && mkdir "$ctx"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM local/bookworm-prometheus:base
RUN mkdir -p /prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  dh_log "stand-in $1: bookworm + Debian's prometheus $(dpkg-query -W -f '${Version}' prometheus 2>/dev/null)"
  $D build -q -t "$1" "$ctx" >/dev/null; local rc=$?
  rm -rf "$ctx"; return $rc
}
