// Package scenarios holds the switchable runtime problems of the demo service.
// Each scenario reproduces one finding of the analysis core (its Finding id)
// so that profiles captured while it runs show that finding, and profiles
// captured while it is off do not.
package scenarios

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Scenario describes one switchable problem.
type Scenario struct {
	Name        string // contract: used in URLs, flags, fixtures and tests
	Description string
	Finding     string   // id of the finding it must trigger
	counters    []string // stats shown (as 0) before the first run
	// run does the work until ctx is cancelled. It returns only after every
	// worker goroutine it started has stopped, so switching off is clean.
	// The one exception is goroutine-leak, whose leaked goroutines stay by design.
	run func(ctx context.Context, c *Counters)
}

// Definitions lists every scenario in a stable order.
func Definitions() []Scenario {
	return []Scenario{
		goroutineLeak(),
		busySelect(),
		mutexContention(),
		rwmutexChurn(),
		gcPressure(),
		clockHotPath(),
		allocConversion(),
		mapHot(),
		runnableBacklog(),
		syscallHeavy(),
	}
}

// Status is the JSON view of one scenario.
type Status struct {
	Name        string           `json:"name"`
	On          bool             `json:"on"`
	Description string           `json:"description"`
	Finding     string           `json:"finding"`
	Stats       map[string]int64 `json:"stats"`
}

// ErrUnknown is returned for a name that is not a scenario.
var ErrUnknown = errors.New("unknown scenario")

// Registry switches scenarios on and off.
type Registry struct {
	switchMu sync.Mutex // serializes Set, so an off always completes before the next on
	mu       sync.Mutex // guards entry state read by Get/List
	order    []string
	entries  map[string]*entry
	onChange func(name string, on bool)
}

type entry struct {
	def      Scenario
	counters *Counters
	cancel   context.CancelFunc // nil while off
	done     chan struct{}      // closed when run has returned
}

// NewRegistry builds a registry over the given scenarios. onChange (may be nil)
// is called with false for every scenario right away, then after every switch,
// so a Prometheus gauge exports all scenarios from the start.
func NewRegistry(defs []Scenario, onChange func(name string, on bool)) *Registry {
	r := &Registry{entries: map[string]*entry{}, onChange: onChange}
	for _, d := range defs {
		c := newCounters()
		for _, name := range d.counters {
			c.Get(name)
		}
		r.order = append(r.order, d.Name)
		r.entries[d.Name] = &entry{def: d, counters: c}
		if onChange != nil {
			onChange(d.Name, false)
		}
	}
	return r
}

// Names returns the scenario names in registry order.
func (r *Registry) Names() []string { return append([]string(nil), r.order...) }

// Set switches a scenario. Switching off waits until its workers have stopped.
// Setting the current state again is a no-op.
func (r *Registry) Set(name string, on bool) (Status, error) {
	r.switchMu.Lock()
	defer r.switchMu.Unlock()
	r.mu.Lock()
	e, ok := r.entries[name]
	if !ok {
		r.mu.Unlock()
		return Status{}, fmt.Errorf("%w %q", ErrUnknown, name)
	}
	var wait chan struct{}
	switch {
	case on && e.cancel == nil:
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		e.cancel, e.done = cancel, done
		go func() {
			defer close(done)
			e.def.run(ctx, e.counters)
		}()
	case !on && e.cancel != nil:
		e.cancel()
		wait = e.done
		e.cancel = nil
	}
	r.mu.Unlock()
	if wait != nil {
		<-wait
	}
	if r.onChange != nil {
		r.onChange(name, on)
	}
	return r.status(e), nil
}

// Get returns the status of one scenario.
func (r *Registry) Get(name string) (Status, error) {
	r.mu.Lock()
	e, ok := r.entries[name]
	r.mu.Unlock()
	if !ok {
		return Status{}, fmt.Errorf("%w %q", ErrUnknown, name)
	}
	return r.status(e), nil
}

// List returns every scenario's status in registry order.
func (r *Registry) List() []Status {
	out := make([]Status, 0, len(r.order))
	for _, name := range r.order {
		out = append(out, r.status(r.entries[name]))
	}
	return out
}

// StopAll switches every scenario off (used on shutdown so that settings such
// as the GC percent are restored and workers stop before the process exits).
func (r *Registry) StopAll() {
	for _, name := range r.order {
		_, _ = r.Set(name, false)
	}
}

func (r *Registry) status(e *entry) Status {
	r.mu.Lock()
	on := e.cancel != nil
	r.mu.Unlock()
	return Status{
		Name:        e.def.Name,
		On:          on,
		Description: e.def.Description,
		Finding:     e.def.Finding,
		Stats:       e.counters.Snapshot(),
	}
}
