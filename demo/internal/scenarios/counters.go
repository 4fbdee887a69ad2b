package scenarios

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Counters are named monotonically increasing numbers a scenario reports in
// its stats. Hot loops fetch their *atomic.Int64 once and add in batches so the
// counting itself never shows up in profiles.
type Counters struct {
	mu sync.Mutex
	m  map[string]*atomic.Int64
}

func newCounters() *Counters { return &Counters{m: map[string]*atomic.Int64{}} }

// Get returns the counter with that name, creating it at 0.
func (c *Counters) Get(name string) *atomic.Int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[name]
	if !ok {
		v = new(atomic.Int64)
		c.m[name] = v
	}
	return v
}

// Snapshot copies the current values.
func (c *Counters) Snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.m))
	for k := range c.m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string]int64, len(names))
	for _, k := range names {
		out[k] = c.m[k].Load()
	}
	return out
}
