// Package profiling turns on the runtime's optional profiles and, when
// configured, continuous profiling to Grafana Pyroscope.
package profiling

import "runtime"

const (
	// MutexProfileFraction samples 1 in 5 contended sync.Mutex/RWMutex
	// unlocks. The runtime scales the reported values back up, so the
	// profile stays comparable while its cost is a fifth of fraction 1.
	MutexProfileFraction = 5
	// BlockProfileRateNanos records every blocking event of 10 µs or more and
	// samples shorter ones proportionally (the runtime up-weights them).
	// Rate 1 would record every channel op and lock wait, which is measurable
	// overhead in hot code; 10 µs keeps the profile cheap but still shows
	// channel, select and lock waits of any consequence.
	BlockProfileRateNanos = 10_000
)

// EnableContentionProfiles makes the mutex and block profiles record data
// (both are empty by default).
func EnableContentionProfiles() {
	runtime.SetMutexProfileFraction(MutexProfileFraction)
	runtime.SetBlockProfileRate(BlockProfileRateNanos)
}
