package scenarios

import (
	"context"
	"runtime"
	"sync"
	"time"
)

const (
	busySelectWorkers = 2
	busySelectDuty    = 0.5 // 2 workers × 50% ≈ one core
	busySelectJobRate = 10 * time.Millisecond
)

func busySelect() Scenario {
	return Scenario{
		Name:    "busy-select",
		Finding: "busy-select-loop",
		Description: "2 goroutines poll a job channel with select/default instead of blocking " +
			"(scenarios.busySelectLoop), one of them calling runtime.Gosched() in default: CPU goes to " +
			"selectnbrecv/chanrecv fast paths, Gosched and the scheduler.",
		counters: []string{"polls", "jobs"},
		run:      runBusySelect,
	}
}

func runBusySelect(ctx context.Context, c *Counters) {
	// Buffered so the producer's non-blocking sends land even though no
	// receiver is ever parked on the channel.
	jobs := make(chan int, 16)
	polls, handled := c.Get("polls"), c.Get("jobs")
	var wg sync.WaitGroup
	for w := range busySelectWorkers {
		// Half the workers "yield politely" with runtime.Gosched (their CPU
		// shows as mcall/gosched_m/schedule on the g0 stack, outside the user
		// stack), half spin bare (selectnbrecv/chanrecv under busySelectLoop).
		yield := w%2 == 0
		wg.Go(func() { busySelectLoop(ctx, jobs, yield, polls.Add, handled.Add) })
	}
	tick := time.NewTicker(busySelectJobRate)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-tick.C:
			select {
			case jobs <- n:
			default:
			}
		}
	}
}

// busySelectLoop is the anti-pattern: a non-blocking receive in a loop. The
// Gosched "to be nice" does not stop it from burning a core.
func busySelectLoop(ctx context.Context, jobs <-chan int, yield bool, addPolls, addJobs func(int64) int64) {
	p := newPacer(ctx, busySelectDuty)
	var polls int64
	for p.pace() {
		select {
		case <-jobs:
			addJobs(1)
		default:
			if yield {
				runtime.Gosched()
			}
		}
		if polls++; polls == flushEvery {
			addPolls(polls)
			polls = 0
		}
	}
	addPolls(polls)
}
