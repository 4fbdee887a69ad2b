// Package stackzoo is the demo's bench-only "stack zoo" (flag -stack-zoo): allocations and CPU time spread over
// hundreds of thousands of distinct call stacks, so that the service's own /debug/pprof/heap and
// /debug/pprof/profile are as large as a big real service's (bench/pprof.bench.ts). The scenarios allocate and
// burn CPU from a few thousand stacks at most.
//
// The zoo is 16 non-inlined functions zoo00..zoo15 (zoo_gen.go) that call each other along the base-16 digits of
// a path number, lowest digit first, depth levels deep, and then call the leaf. Each function calls each other
// from its own call site, so every (path, depth) whose first depth+1 digits differ is a distinct stack of return
// addresses, and the runtime's profiles keep one record per distinct stack.
package stackzoo

//go:generate go run gen_zoo.go

// Leaf runs at the end of a zoo path; path is what is left of the path number after the walk took its digits.
type Leaf func(path uint64) []byte

// Walk calls leaf at the end of the call chain spelled by path's first depth+1 base-16 digits and returns its
// result.
func Walk(path uint64, depth int, leaf Leaf) []byte {
	return roots[path%16](path/16, depth, leaf)
}

// PathAt is the i-th path of the zoo and its depth (8 to 19 calls below the root). Multiplying by an odd constant
// (2^64 / golden ratio) is a bijection on uint64 that spreads consecutive i over all digits, so paths differ near
// the root too rather than only in their deepest frames.
func PathAt(i int) (path uint64, depth int) {
	return uint64(i) * 0x9E3779B97F4A7C15, 8 + i%12
}
