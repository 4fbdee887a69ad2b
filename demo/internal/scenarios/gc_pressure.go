package scenarios

import (
	"context"
	"runtime/debug"
	"sync"
)

const (
	// gcPressurePercent makes the heap goal only 10% above the live heap, so a
	// collection starts after every ~6 MB of allocation.
	gcPressurePercent = 10
	gcLiveSlots       = 65536 // ≈60 MB of pointer-rich live objects for the marker to trace
)

func gcPressure() Scenario {
	return Scenario{
		Name:    "gc-pressure",
		Finding: "gc-pressure",
		Description: "An allocation storm of short-lived events (scenarios.allocationStorm) over a ~60 MB live set " +
			"with debug.SetGCPercent(10) while on: background mark workers and mark assist (gcAssistAlloc) take " +
			"a large share of CPU. The previous GC percent is restored when switched off.",
		counters: []string{"allocations", "gcPercentBefore"},
		run:      runGCPressure,
	}
}

// event is pointer-rich on purpose: the marker has to follow tags and next.
type event struct {
	id      int64
	tags    []string
	payload []byte
	next    *event
}

func runGCPressure(ctx context.Context, c *Counters) {
	old := debug.SetGCPercent(gcPressurePercent)
	defer debug.SetGCPercent(old)
	c.Get("gcPercentBefore").Store(int64(old))
	allocs := c.Get("allocations")
	var wg sync.WaitGroup
	wg.Go(func() { allocationStorm(ctx, allocs.Add) })
	wg.Wait()
}

var eventTags = []string{"checkout", "search", "cart", "login", "profile", "payment"}

func allocationStorm(ctx context.Context, addAllocs func(int64) int64) {
	// Half duty: GC's idle mark workers take whatever CPU the allocator leaves,
	// so a full-speed allocator would keep two cores busy.
	p := newPacer(ctx, 0.5)
	live := make([]*event, gcLiveSlots)
	var prev *event
	var n int64
	for i := 0; p.pace(); i++ {
		e := &event{
			id:      int64(i),
			tags:    make([]string, 0, 4),
			payload: make([]byte, 256+i%1024),
		}
		e.tags = append(e.tags, eventTags[i%len(eventTags)], eventTags[(i/7)%len(eventTags)])
		e.payload[0] = byte(i)
		e.next = prev
		prev = e
		// Most events die young (a chain of 16, then dropped); one in 16 is
		// kept alone in a slot of the live set, replacing an old one, which
		// keeps the live heap steady at ~60 MB instead of growing.
		if i%16 == 0 {
			e.next = nil
			live[(i/16)%len(live)] = e
			prev = nil
		}
		if n++; n == flushEvery {
			addAllocs(n)
			n = 0
		}
	}
	addAllocs(n)
}
