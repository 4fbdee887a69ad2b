package stackzoo

import "runtime"

// RecordEveryAllocation sets runtime.MemProfileRate to 1, so that the heap profile records every allocation and
// thus every zoo path (at the default rate, one sample per 512 KiB, it would keep a few hundred of them). The
// runtime documentation asks for the rate to be changed "just once, as early as possible in the execution of the
// program (for example, at the beginning of main)": main calls this right after parsing its flags.
func RecordEveryAllocation() {
	runtime.MemProfileRate = 1
}

// retainEvery: one allocation in retainEvery stays reachable, so the zoo's stacks have inuse_* values as well as
// alloc_* ones, while the live heap stays a few MB.
const retainEvery = 4

// retained is a package variable rather than a local because the compiler's liveness analysis lets a local die
// after its last use, and the retained quarter must outlive Start.
var retained [][]byte

//go:noinline
func allocLeaf(path uint64) []byte {
	return make([]byte, 16+path%48)
}

// allocate makes one allocation at the leaf of each of the first `paths` zoo paths and keeps every retainEvery-th.
// It ends with a GC: the heap profile reports allocations as of the most recently completed GC (runtime.MemProfile
// and runtime/pprof's "heap" profile docs), so without it the zoo would be missing until the next automatic one.
func allocate(paths int) (objects, bytes int) {
	retained = make([][]byte, 0, paths/retainEvery+1)
	for i := 0; i < paths; i++ {
		path, depth := PathAt(i)
		b := Walk(path, depth, allocLeaf)
		if i%retainEvery == 0 {
			retained = append(retained, b)
			bytes += len(b)
		}
	}
	runtime.GC()
	return len(retained), bytes
}
