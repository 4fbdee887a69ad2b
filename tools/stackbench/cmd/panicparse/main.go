// Command panicparse is the in-process panicparse peer in
// bench/goroutines.bench.ts: it runs maruel/panicparse v2's own parse and
// bucketing (stack.ScanSnapshot, then Aggregate) on a dump -runs times and
// prints one JSON line with the median time and bucket count. -similarity
// anyvalue (the default here, pp -aggressive) groups regardless of argument
// values, the same work as our argument-blind clustering; anypointer is pp's
// own default. It uses the same version as Debian's panicparse
// package (2.3.0), without source reading, path guessing or console output,
// which the `panicparse` command adds on top.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/maruel/panicparse/v2/stack"
)

type result struct {
	Bytes         int     `json:"bytes"`
	Goroutines    int     `json:"goroutines"`
	Buckets       int     `json:"buckets"`
	Similarity    string  `json:"similarity"`
	MedianMs      float64 `json:"medianMs"`
	CPUMedianMs   float64 `json:"cpuMedianMs"`
	MBps          float64 `json:"mbps"`
	MaxRSSMB      float64 `json:"maxRssMB"`
	Runs          int     `json:"runs"`
	GoVersion     string  `json:"goVersion"`
	PanicparseVer string  `json:"panicparse"`
}

// cpuMs is the process's user+system CPU time: on a shared machine wall time also counts waiting for a core.
func cpuMs() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func median(xs []float64) float64 {
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

func main() {
	runs := flag.Int("runs", 3, "timed runs")
	similarityName := flag.String("similarity", "anyvalue", "anyvalue (pp -aggressive) or anypointer (pp's default)")
	flag.Parse()
	similarity := stack.AnyValue
	if *similarityName == "anypointer" {
		similarity = stack.AnyPointer
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		panic(err)
	}
	opts := stack.DefaultOpts()
	opts.GuessPaths = false
	opts.AnalyzeSources = false
	res := result{Bytes: len(data), Similarity: *similarityName, Runs: *runs, GoVersion: runtime.Version(), PanicparseVer: "v2.3.0"}
	var times, cpu []float64
	for i := 0; i < *runs; i++ {
		runtime.GC()
		cpu0 := cpuMs()
		start := time.Now()
		goroutines, buckets := 0, 0
		// Like the pp command: scan snapshots until the input is consumed (a snapshot ends where parsing stops).
		var in io.Reader = bytes.NewReader(data)
		for {
			s, suffix, err := stack.ScanSnapshot(in, io.Discard, opts)
			if s != nil {
				goroutines += len(s.Goroutines)
				buckets += len(s.Aggregate(similarity).Buckets)
			}
			if err != nil {
				break
			}
			in = io.MultiReader(bytes.NewReader(suffix), in)
		}
		times = append(times, float64(time.Since(start).Nanoseconds())/1e6)
		cpu = append(cpu, cpuMs()-cpu0)
		res.Goroutines, res.Buckets = goroutines, buckets
	}
	res.MedianMs = median(times)
	res.CPUMedianMs = median(cpu)
	res.MBps = float64(len(data)) / (1 << 20) / (res.MedianMs / 1000)
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		res.MaxRSSMB = float64(ru.Maxrss) / 1024
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}
