# DistriBank — the front door. `make run` starts a local bank; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Maven and the launchers need a JDK >= 21; bin/find-java finds one (JAVA_HOME, PATH, /usr/lib/jvm).
JAVA_HOME := $(shell bin/find-java --home)
export JAVA_HOME
MVN := mvn -B -ntp

.PHONY: help build run test sim fuzz chaos bench jmh recovery-bench container-test lint-proto clean
TRANSACTIONS ?= 200000
SEEDS ?= 10000
REQUESTS ?= 1000000
DURATION ?= 60
# The chaos run's network faults: empty = where they can run (as root), 1 = insist (--net), 0 = loopback (--no-net).
NET ?=
BENCH_SECONDS ?= 20
# JMH's settings for `make jmh`: short, but each score is 5 one-second samples after 3 of warm-up, in a fresh JVM.
JMH_OPTS ?= -f 1 -wi 3 -i 5 -w 1s -r 1s
JMH_ARGS ?=

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## Build the runnable jars behind bin/bank-node and bin/bank-admin
	$(MVN) -q -DskipTests install
	@# Record the classes a CLI call loads (a call to a closed port loads the whole gRPC stack) for faster starts.
	@BANK_ADMIN_CDS_DUMP=1 bin/bank-admin health --target 127.0.0.1:9 --timeout-seconds 1 >/dev/null 2>&1 || true

run: build ## Start a local 4-bank cluster (alpha..delta, TLS on 127.0.0.1:7001-7004, certificates and data in ./data)
	deploy/local-cluster.sh 4

test: lint-proto ## Run every test (unit, simulation, real gRPC, real RocksDB, kill -9) and a 60 s chaos run (as root with network partitions)
	$(MVN) install
	deploy/chaos.sh --duration 60; status=$$?; deploy/test-summary.sh $$status; exit $$status

chaos: build ## kill -9 / SIGSTOP banks and (as root) cut, split, drop and delay the network between them under load, then check every invariant: make chaos DURATION=600 [NET=0|1]
	deploy/chaos.sh --duration $(DURATION) $(if $(filter 1,$(NET)),--net,$(if $(filter 0,$(NET)),--no-net))

bench: build ## One table: cross-bank at 4..256 clients, in batches of 100..8190, local, at a fixed rate, with 20 ms between banks (as root), vs pgbench: make bench BENCH_SECONDS=20
	deploy/bench.sh --duration $(BENCH_SECONDS)

jmh: ## JMH benchmarks of the node's hot paths (encode, apply, queue, digests, signatures): make jmh JMH_ARGS='Apply -p transfers=1000'
	$(MVN) -q -DskipTests -Pjmh -pl bank-bench -am package
	@# The forks inherit these flags: RocksDB's native access, and (JDK 23+) protobuf's and Guava's sun.misc.Unsafe.
	read -r java major < <(bin/find-java --launch); unsafe=""; [ "$$major" -ge 23 ] && unsafe="--sun-misc-unsafe-memory-access=allow"; \
	  "$$java" --enable-native-access=ALL-UNNAMED $$unsafe -jar bank-bench/target/benchmarks.jar $(JMH_OPTS) $(JMH_ARGS)

recovery-bench: build ## Time a node's start-up on a large ledger: make recovery-bench TRANSACTIONS=1000000
	$(MVN) -q -pl bank-node dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
	  -Dmdep.includeScope=test
	"$(JAVA_HOME)/bin/java" --enable-native-access=ALL-UNNAMED -cp \
	  "bank-node/target/test-classes:bank-node/target/classes:$$(cat bank-node/target/test-classpath.txt)" \
	  dev.distribank.node.bench.RecoveryBenchmark $(TRANSACTIONS)

container-test: ## The image and the compose consortium for real: 4/4 healthy, transfer, audit, kills, dashboards (root; minutes)
	@# Only the CLI's jar: the test drives the containers with bin/bank-admin; the image builds its own jars.
	$(MVN) -q -DskipTests -pl bank-admin-cli -am package
	deploy/container-test.sh

sim: ## Run the seeded protocol simulation over more seeds: make sim SEEDS=100000
	$(MVN) -pl bank-node -am test -Dtest=SimulatedClusterTest -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seeds=$(SEEDS)

fuzz: ## Send seeded hostile and malformed requests to 2 real nodes: make fuzz REQUESTS=1000000 [SEED=S]
	$(MVN) -pl bank-node -am test -Dtest=HostileRequestsTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dfuzz.requests=$(REQUESTS) $(if $(SEED),-Dfuzz.seed=$(SEED))

node_modules/.bin/buf: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint-proto: node_modules/.bin/buf ## buf lint (STANDARD) over proto/
	cd proto && ../node_modules/.bin/buf lint && echo "buf lint: proto/ is clean"

clean: ## Remove build outputs (keeps ./data)
	$(MVN) -q clean
