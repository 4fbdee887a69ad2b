// Package hangtest holds a test that hangs on purpose when HANG_TEST=1, so that
// `go test -timeout 2s` prints its "panic: test timed out after 2s" dump
// (tools/stackbench/testdata.sh captures it for the recogniser tests).
package hangtest

import (
	"os"
	"testing"
)

//go:noinline
func waitForever(c chan int) int { return <-c }

func TestHangsForever(t *testing.T) {
	if os.Getenv("HANG_TEST") != "1" {
		t.Skip("set HANG_TEST=1 to hang")
	}
	done := make(chan int)
	go func() { <-done }()
	waitForever(make(chan int))
}
