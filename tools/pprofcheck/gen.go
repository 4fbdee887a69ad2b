package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

// generate writes cpu.pb.gz and heap.pb.gz of a small workload with a few distinct hot paths (hashing, string
// building, map churn), for tests that run before the demo-service fixtures exist.
func generate(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	runtime.MemProfileRate = 512
	cpu, err := os.Create(filepath.Join(dir, "cpu.pb.gz"))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return err
	}
	deadline := time.Now().Add(1500 * time.Millisecond)
	var sink int
	for time.Now().Before(deadline) {
		sink += hashWork(2000) + buildStrings(200) + mapChurn(500)
	}
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		return err
	}
	runtime.GC()
	heap, err := os.Create(filepath.Join(dir, "heap.pb.gz"))
	if err != nil {
		return err
	}
	defer heap.Close()
	if sink == 42 {
		fmt.Println()
	}
	return pprof.Lookup("heap").WriteTo(heap, 0)
}

var retained [][]byte

func hashWork(n int) int {
	var sum [32]byte
	buf := make([]byte, 64)
	for i := 0; i < n; i++ {
		buf[i%64]++
		sum = sha256.Sum256(buf)
	}
	return int(sum[0])
}

func buildStrings(n int) int {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "item-%d,", i)
	}
	s := b.String()
	if len(retained) < 1000 {
		retained = append(retained, []byte(s))
	}
	return len(s)
}

func mapChurn(n int) int {
	m := map[string]int{}
	for i := 0; i < n; i++ {
		m[fmt.Sprint(i)] = i
	}
	return len(m)
}
