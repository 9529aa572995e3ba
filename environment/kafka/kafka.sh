#!/usr/bin/env bash
# kafka.sh runs a real Apache Kafka broker (one KRaft node, broker and
# controller in one JVM) for rivulet's integration tests, from jars fetched
# from Maven Central. Everything stays in this directory: jars in libs/, data
# and logs in data/ (both gitignored).
#
#   environment/kafka/kafka.sh available  exit 0 if Java 17+ and Maven (or fetched jars) are here
#   environment/kafka/kafka.sh fetch      download the jars (mvn; quick when up to date)
#   environment/kafka/kafka.sh start      start in the background, wait until usable (fetches and formats if needed)
#   environment/kafka/kafka.sh stop       stop gracefully, kill after KAFKA_STOP_TIMEOUT
#   environment/kafka/kafka.sh status     exit 0 if running, 3 if not
#   environment/kafka/kafka.sh addr       print the bootstrap address, 127.0.0.1:19092
#   environment/kafka/kafka.sh reset      stop and delete data/ (topics, offsets, cluster id)
#   environment/kafka/kafka.sh check-config   list server.properties keys the broker does not know
#   environment/kafka/kafka.sh with CMD [ARG...]
#       run CMD with RIVULET_APACHE_BROKERS=127.0.0.1:19092 set, starting the
#       broker first if needed and stopping it when the last concurrent `with`
#       ends (a broker started by `kafka.sh start` keeps running); without
#       Java 17+/Maven, run CMD without it (the Apache tests then skip
#       themselves). Exits with CMD's status.
#
# Every command is idempotent. Tunables (environment): KAFKA_HEAP_OPTS
# (default -Xms256m -Xmx512m), KAFKA_START_TIMEOUT (s, default 120),
# KAFKA_STOP_TIMEOUT (s, default 30).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIBS="$DIR/libs"
DATA="$DIR/data"
LOGDIR="$DATA/kraft-logs" # log.dirs in server.properties, relative to $DIR
PIDFILE="$DATA/kafka.pid"
LOG="$DATA/server.log"
HOST=127.0.0.1
PORT=19092 # listeners in server.properties
CONTROLLER_PORT=19093
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# Class-data sharing archive of the broker's classes, written by the first
# broker run when it stops (see cmd_start). It lives with the jars it was made
# from; a new fetch drops it.
CDS_ARCHIVE="$LIBS/kafka.jsa"

say() { printf 'kafka: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

java_major() {
	command -v java >/dev/null 2>&1 || { echo 0; return; }
	local v
	v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
	echo "${v%%.*}"
}

have_java() { [[ "$(java_major)" -ge 17 ]]; }

fetched() { [[ -f "$LIBS/.pom.sha256" ]] && [[ "$(cat "$LIBS/.pom.sha256")" == "$(pom_sum)" ]]; }

pom_sum() { sha256sum "$DIR/pom.xml" | cut -d' ' -f1; }

cmd_available() {
	if ! have_java; then
		say "Java 17+ not found (java: $(command -v java || echo none), version $(java_major)); Apache Kafka tests are skipped"
		return 1
	fi
	if ! fetched && ! command -v mvn >/dev/null 2>&1; then
		say "Maven (mvn) not found and the jars are not fetched; Apache Kafka tests are skipped"
		return 1
	fi
	return 0
}

cmd_fetch() {
	if fetched; then
		say "jars up to date in ${LIBS#"$DIR"/}/ ($(ls "$LIBS"/*.jar | wc -l) jars)"
		return 0
	fi
	command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch Kafka's jars (Debian: apt-get install maven)"
	say "fetching Kafka jars from Maven Central into ${LIBS#"$DIR"/}/"
	local start=$SECONDS
	rm -rf "$LIBS.tmp"
	# Maven 3.8 prints colour resets even in batch mode; strip them.
	(cd "$DIR" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$LIBS.tmp" -DincludeScope=runtime 2>&1 |
		sed 's/\x1b\[[0-9;]*m//g' >&2) ||
		{ rm -rf "$LIBS.tmp"; die "mvn could not fetch the jars (see its output above)"; }
	pom_sum >"$LIBS.tmp/.pom.sha256"
	rm -rf "$LIBS"
	mv "$LIBS.tmp" "$LIBS"
	say "fetched $(ls "$LIBS"/*.jar | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - start)) s"
}

# pid prints the broker's pid if it is running. The pid file alone is not
# trusted: the process must still be our kafka.Kafka.
pid() {
	[[ -f "$PIDFILE" ]] || return 1
	local p
	p="$(cat "$PIDFILE")"
	[[ "$p" =~ ^[0-9]+$ ]] || return 1
	[[ -r "/proc/$p/cmdline" ]] || return 1
	tr '\0' ' ' <"/proc/$p/cmdline" | grep -q "kafka.Kafka $DIR/server.properties" || return 1
	echo "$p"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

cmd_format() {
	if [[ -f "$LOGDIR/meta.properties" ]]; then
		return 0
	fi
	mkdir -p "$DATA"
	local id
	if [[ -s "$DATA/cluster-id" ]]; then
		id="$(cat "$DATA/cluster-id")"
	else
		id="$(cd "$DIR" && java -cp "$LIBS/*" -Dlog4j2.configurationFile="$DIR/log4j2.properties" kafka.tools.StorageTool random-uuid 2>>"$LOG" | tail -n1)"
		[[ -n "$id" ]] || die "could not generate a cluster id (see $LOG)"
		echo "$id" >"$DATA/cluster-id"
	fi
	say "formatting ${LOGDIR#"$DIR"/}/ for cluster $id (once)"
	(cd "$DIR" && java -cp "$LIBS/*" -Dlog4j2.configurationFile="$DIR/log4j2.properties" \
		kafka.tools.StorageTool format --standalone --cluster-id "$id" --config "$DIR/server.properties") >>"$LOG" 2>&1 ||
		die "formatting failed: $(tail -n5 "$LOG")"
}

start_locked() {
	if p="$(pid)"; then
		say "already running (pid $p) on $HOST:$PORT"
		return 0
	fi
	have_java || die "Java 17+ is needed (found: $(command -v java || echo none), version $(java_major))"
	for port in "$PORT" "$CONTROLLER_PORT"; do
		port_open "$port" && die "$HOST:$port is already in use by another process; stop it first"
	done
	cmd_fetch
	mkdir -p "$DATA"
	cmd_format
	# Start-up is CPU-bound class loading and JIT on a small machine.
	# C1 only (TieredStopAtLevel=1) is plenty for a test broker, and an
	# AppCDS archive of the loaded classes makes later starts cheaper: on
	# this 2-core machine under heavy load, median of two starts 35 s plain,
	# 12 s with both. The first run records the archive when it exits.
	local jit_opts="-XX:TieredStopAtLevel=1" cds_opts
	if [[ -s "$CDS_ARCHIVE" ]]; then
		cds_opts="-XX:SharedArchiveFile=$CDS_ARCHIVE"
	else
		rm -f "$CDS_ARCHIVE.tmp"
		cds_opts="-XX:ArchiveClassesAtExit=$CDS_ARCHIVE.tmp"
	fi
	say "starting on $HOST:$PORT (log: ${LOG#"$DIR"/})"
	local start=$SECONDS
	# setsid: the broker must not get the terminal's Ctrl-C meant for the
	# command that started it; stop it with kafka.sh stop. It must not inherit
	# the lock descriptors 8 and 9 either, or it would hold the locks.
	# shellcheck disable=SC2086 # HEAP_OPTS holds several options
	(cd "$DIR" && exec setsid java $HEAP_OPTS $jit_opts $cds_opts -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
		-Djava.awt.headless=true -Dlog4j2.configurationFile="$DIR/log4j2.properties" -Dkafka.logs.dir="$DATA" \
		-cp "$LIBS/*" kafka.Kafka "$DIR/server.properties" >>"$LOG" 2>&1 </dev/null 8>&- 9>&-) &
	echo $! >"$PIDFILE"
	# Usable means: the port accepts and the broker has logged that it is
	# started, which KRaft brokers do only once the controller unfenced them
	# (metadata requests then list this broker).
	local mark
	mark="$(wc -l <"$LOG")"
	while ((SECONDS - start < START_TIMEOUT)); do
		if ! pid >/dev/null; then
			rm -f "$PIDFILE"
			die "the broker exited during start-up; last lines of $LOG:
$(tail -n 15 "$LOG")"
		fi
		if port_open "$PORT" && tail -n +"$mark" "$LOG" | grep -q 'Kafka Server started'; then
			say "running (pid $(pid)) on $HOST:$PORT; ready in $((SECONDS - start)) s"
			return 0
		fi
		sleep 0.2
	done
	say "not ready within $START_TIMEOUT s; stopping it"
	stop_locked
	die "start-up timed out; last lines of $LOG:
$(tail -n 15 "$LOG")"
}

stop_locked() {
	local p
	if ! p="$(pid)"; then
		rm -f "$PIDFILE"
		say "not running"
		return 0
	fi
	local timeout=$STOP_TIMEOUT archiving=
	if tr '\0' ' ' <"/proc/$p/cmdline" | grep -q ArchiveClassesAtExit; then
		archiving=1
		timeout=$((STOP_TIMEOUT + 60)) # the JVM writes the CDS archive as it exits
		say "stopping (pid $p; recording the class-data archive, once)"
	else
		say "stopping (pid $p)"
	fi
	kill -TERM "$p" 2>/dev/null || true
	local start=$SECONDS killed=
	while kill -0 "$p" 2>/dev/null && ((SECONDS - start < timeout)); do sleep 0.2; done
	if kill -0 "$p" 2>/dev/null; then
		say "still running after $timeout s; killing it"
		kill -KILL "$p" 2>/dev/null || true
		killed=1
		while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
	fi
	rm -f "$PIDFILE"
	if [[ -n "$archiving" ]]; then
		if [[ -z "$killed" && -s "$CDS_ARCHIVE.tmp" ]]; then
			mv "$CDS_ARCHIVE.tmp" "$CDS_ARCHIVE"
		else
			rm -f "$CDS_ARCHIVE.tmp"
		fi
	fi
	say "stopped in $((SECONDS - start)) s"
}

# Starting and stopping hold data/control.lock, so that concurrent kafka.sh
# runs (two `make test` in one checkout, say) never start two brokers or
# stop one that is starting.
locked() {
	mkdir -p "$DATA"
	(
		flock 8
		"$@"
	) 8>"$DATA/control.lock"
}

cmd_start() { locked start_locked; }

cmd_stop() {
	locked stop_locked
	rm -f "$DATA/started-by-with"
}

# cmd_with runs "$@" against the broker. Every `with` holds a shared lock on
# data/users.lock while its command runs; the broker stops when the last
# `with` leaves, and only if a `with` started it (a broker from `kafka.sh
# start` keeps running). The kernel drops the lock of a killed run.
cmd_with() {
	mkdir -p "$DATA"
	exec 9>"$DATA/users.lock"
	flock -s 9
	local was_running=
	pid >/dev/null && was_running=1
	# Even when a broker process exists, it may still be starting: cmd_start
	# waits on the control lock until that start is over.
	cmd_start
	[[ -n "$was_running" ]] || touch "$DATA/started-by-with"
	trap 'leave_with' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	set +e
	RIVULET_APACHE_BROKERS="$HOST:$PORT" "$@"
	local status=$?
	set -e
	return "$status"
}

leave_with() {
	# Turning our shared lock exclusive succeeds only if no other `with`
	# holds one.
	if flock -x -n 9 && [[ -f "$DATA/started-by-with" ]]; then
		cmd_stop
	fi
}

cmd_status() {
	local p
	if p="$(pid)"; then
		echo "running (pid $p) on $HOST:$PORT"
		return 0
	fi
	echo "not running"
	return 3
}

cmd_check_config() {
	have_java || die "Java 17+ is needed"
	fetched || die "jars not fetched; run: $0 fetch"
	(cd "$DIR" && java -cp "$LIBS/*" -Dlog4j2.configurationFile="$DIR/log4j2.properties" CheckConfig.java server.properties)
}

case "${1:-}" in
available) cmd_available ;;
fetch) cmd_fetch ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
addr) echo "$HOST:$PORT" ;;
reset)
	cmd_stop
	rm -rf "$DATA"
	say "deleted data/"
	;;
check-config) cmd_check_config ;;
with)
	shift
	[[ $# -gt 0 ]] || die "usage: $0 with CMD [ARG...]"
	if ! cmd_available; then
		"$@"
		exit
	fi
	cmd_with "$@"
	;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
