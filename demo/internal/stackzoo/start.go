package stackzoo

import "context"

// Summary is what Start did, for the startup log line.
type Summary struct {
	Paths           int
	RetainedObjects int
	RetainedBytes   int
	Walkers         int
}

// Start allocates once at the leaf of each of `paths` zoo paths (keeping a quarter) for the heap profile, then
// starts the CPU walkers, which run until ctx is done. Call RecordEveryAllocation first, or the heap profile
// samples only a few hundred of the paths.
func Start(ctx context.Context, paths int) Summary {
	objects, bytes := allocate(paths)
	return Summary{Paths: paths, RetainedObjects: objects, RetainedBytes: bytes, Walkers: startWalkers(ctx, paths)}
}
