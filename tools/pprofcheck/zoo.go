package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// The "stack zoo" (zoo_gen.go) is 16 non-inlined functions that call each other along the base-16 digits of a
// path number, so every path is a distinct call stack. generateHeapZoo records every allocation
// (MemProfileRate=1) of `paths` distinct stacks and writes the heap profile: a large real runtime/pprof heap
// profile (tens of MB decompressed, hundreds of thousands of stacks) for bench/pprof.bench.ts, which the demo
// service's own workloads cannot produce (they have a few thousand allocation stacks).
//
// zoo_gen.go is generated: 16 functions zooNN(path, depth) that return zooLeaf(path) at depth 0 and otherwise
// switch on path&15 to call zoo<digit>(path>>4, depth-1).

var zooKeep [][]byte

//go:noinline
func zooLeaf(path uint64) []byte {
	return make([]byte, 16+path%48)
}

func generateHeapZoo(file string, paths int) error {
	runtime.MemProfileRate = 1
	for i := 0; i < paths; i++ {
		p := uint64(i) * 0x9E3779B97F4A7C15 // spread the digits so that every path differs near the root too
		depth := 8 + i%12
		b := zooRoots[p&15](p>>4, depth)
		if i%4 == 0 {
			zooKeep = append(zooKeep, b)
		}
	}
	runtime.GC()
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
