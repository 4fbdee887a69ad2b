// Command dumprace, built with -race, prints a data race report and then
// panics with every goroutine's stack (GOTRACEBACK=all): crash output where
// the race report is a foreign block before the goroutine dump.
package main

import (
	"fmt"
	"time"
)

var counter int

//go:noinline
func bump() { counter++ }

func main() {
	done := make(chan bool)
	go func() { bump(); done <- true }()
	bump()
	<-done
	go func() { select {} }()
	time.Sleep(50 * time.Millisecond)
	panic(fmt.Sprint("after race, counter=", counter))
}
