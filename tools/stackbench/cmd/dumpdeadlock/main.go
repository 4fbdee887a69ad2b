// Command dumpdeadlock ends in "fatal error: all goroutines are asleep -
// deadlock!" followed by the goroutine dump. It imports nothing that links
// cgo: the runtime's deadlock check (checkdead) is off in cgo binaries.
package main

import (
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	block := make(chan int)
	mu.Lock()
	go func() { mu.Lock() }()
	go func() { <-block }()
	time.Sleep(50 * time.Millisecond)
	<-block
}
