package parked

import (
	"sync"
	"time"
)

// blockers are what one Park call's goroutines wait on. Nothing ever releases them: the goroutines stay parked
// for the life of the process, like the idle workers and stuck requests of a big server.
type blockers struct {
	never     chan int // nobody sends or closes
	neverSend chan int // nobody receives
	other     chan string
	heldMu    sync.Mutex // locked by Park, never unlocked
	heldRW    sync.RWMutex
	pendingWG sync.WaitGroup // Add(1) by Park, never Done
	condMu    sync.Mutex
	cond      *sync.Cond // never signalled
	strQueue  *queue[string]
	started   sync.WaitGroup // every goroutine Park starts is Done just before it blocks
}

func newBlockers() *blockers {
	b := &blockers{
		never:     make(chan int),
		neverSend: make(chan int),
		other:     make(chan string),
		strQueue:  &queue[string]{ch: make(chan string)},
	}
	b.cond = sync.NewCond(&b.condMu)
	b.heldMu.Lock()
	b.heldRW.Lock()
	b.pendingWG.Add(1)
	return b
}

// request is per-goroutine state passed down the stack by pointer, so the dump prints arguments that differ per
// goroutine, as real request state does.
type request struct {
	id    int
	shard int
	data  [4]int
	park  func(*request, int)
	on    *blockers
}

type queue[T any] struct{ ch chan T }

// take is a method of a generic type, so the dump has a `queue[...].take` frame.
//
//go:noinline
func (q *queue[T]) take(r *request) T { return <-q.ch }

// The park functions, one per state, are noinline so that each keeps its own frame with arguments. Each calls
// on.started.Done() right before blocking.

// sink keeps r alive past the blocking call, so its pointer is spilled to the stack and the dump prints its value
// instead of `0x0?`.
//
//go:noinline
func sink(r *request, shard int) { r.data[shard]++ }

//go:noinline
func parkRecv(r *request, shard int) { r.on.started.Done(); <-r.on.never; sink(r, shard) }

//go:noinline
func parkSend(r *request, shard int) { r.on.started.Done(); r.on.neverSend <- shard; sink(r, shard) }

//go:noinline
func parkSelect(r *request, shard int) {
	r.on.started.Done()
	select {
	case <-r.on.never:
	case r.on.other <- "x":
	}
}

//go:noinline
func parkMutex(r *request, shard int) { r.on.started.Done(); r.on.heldMu.Lock(); sink(r, shard) }

//go:noinline
func parkRLock(r *request, shard int) { r.on.started.Done(); r.on.heldRW.RLock() }

//go:noinline
func parkWaitGroup(r *request, shard int) { r.on.started.Done(); r.on.pendingWG.Wait() }

//go:noinline
func parkCond(r *request, shard int) {
	r.on.condMu.Lock()
	r.on.started.Done()
	r.on.cond.Wait()
}

//go:noinline
func parkSleep(r *request, shard int) {
	r.on.started.Done()
	time.Sleep(24 * time.Hour)
	sink(r, shard)
}

//go:noinline
func parkGeneric(r *request, shard int) { r.on.started.Done(); _ = r.on.strQueue.take(r) }

//go:noinline
func parkNilChan(r *request, shard int) {
	r.on.started.Done()
	var c chan int
	<-c
}

//go:noinline
func parkForever(r *request, shard int) { r.on.started.Done(); select {} }
