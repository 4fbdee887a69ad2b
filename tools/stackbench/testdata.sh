#!/bin/sh
# Regenerates the real Go 1.26 goroutine dumps used by the parser tests
# (src/core/wire/__testdata__/go1.26/*.txt) from the programs in this module.
# Needs Go 1.26 and a C compiler (cgo and -race). Usage: tools/stackbench/testdata.sh
set -eu
cd "$(dirname "$0")"
out=../../src/core/wire/__testdata__/go1.26
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
mkdir -p "$out"

CGO_ENABLED=0 go build -o "$bin/" ./cmd/dumpdeadlock
CGO_ENABLED=0 go build -trimpath -o "$bin/" ./cmd/dumpcrash
go build -o "$bin/" ./cmd/dumpcases ./cmd/dumpcgo
GOEXPERIMENT=goroutineleakprofile go build -o "$bin/dumpcases-leak" ./cmd/dumpcases
go build -race -o "$bin/dumprace" ./cmd/dumprace

"$bin/dumpcases" debug2 >"$out/debug2.txt"
"$bin/dumpcases" debug1 >"$out/debug1.txt"
GODEBUG=tracebackancestors=3 "$bin/dumpcases" debug2 >"$out/ancestors.txt"
"$bin/dumpcases-leak" leak >"$out/leaked.txt"
# Crashes exit non-zero by design; their output is on stderr.
GOTRACEBACK=all "$bin/dumpcases" panic 2>"$out/panic.txt" || true
GOTRACEBACK=system "$bin/dumpcases" panic 2>"$out/panic-system.txt" || true
"$bin/dumpdeadlock" 2>"$out/deadlock.txt" || true
"$bin/dumpcgo" debug2 >"$out/cgo.txt"
GOTRACEBACK=all "$bin/dumpcgo" segv 2>"$out/cgo-segv.txt" || true
GOTRACEBACK=all "$bin/dumprace" 2>"$out/race.txt" || true
GOTRACEBACK=all "$bin/dumpcrash" mapwrite 2>"$out/mapwrite.txt" || true
"$bin/dumpcrash" sigquit 2>"$out/sigquit.txt" || true
GOTRACEBACK=crash "$bin/dumpcrash" sigquit 2>"$out/sigquit-crash.txt" || true
"$bin/dumpcrash" twice >"$out/twice.txt"
# go test's own output, as a CI log shows it (stdout and stderr together, FAIL lines after the dump).
HANG_TEST=1 go test -trimpath -count=1 -timeout 2s ./internal/hangtest/ >"$out/testtimeout.txt" 2>&1 || true
SYNCTEST_DUMP="$(pwd)/$out/synctest.txt" go test -count=1 ./internal/synctestdump/ >/dev/null
wc -c "$out"/*.txt
