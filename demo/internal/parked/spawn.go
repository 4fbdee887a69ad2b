package parked

// Depth adds frames of three alternating functions between the entry function and the park function, so stacks
// differ in shape, not just in their leaf.

//go:noinline
func depthA(n int, r *request) {
	if n == 0 {
		r.park(r, r.shard)
		return
	}
	depthB(n-1, r)
}

//go:noinline
func depthB(n int, r *request) {
	if n == 0 {
		r.park(r, r.shard)
		return
	}
	depthC(n-1, r)
}

//go:noinline
func depthC(n int, r *request) {
	if n == 0 {
		r.park(r, r.shard)
		return
	}
	depthA(n-1, r)
}

// Three creation sites per park function, so the entry frame and `created by` differ too. The closure one adds
// the two frames of a worker-pool closure, one of them inlined (`func1.1(...)`, no PC offset).

//go:noinline
func spawnDirect(r *request, depth int) {
	go depthA(depth, r)
}

//go:noinline
func spawnClosure(r *request, depth int) {
	go func() {
		func() { depthB(depth, r) }()
	}()
}

//go:noinline
func spawnWrapped(r *request, depth int) {
	go depthC(depth, r)
}
