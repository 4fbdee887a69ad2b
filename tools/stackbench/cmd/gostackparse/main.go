// Command gostackparse is the Go peer in bench/goroutines.bench.ts: it parses a
// goroutine dump with DataDog/gostackparse (from the module proxy) -runs times
// and prints one JSON line with the median wall time of "parse" and of
// "parse + group" (goroutines grouped by state, stack functions/files/lines and
// creation site, the same key our clustering uses), the throughput, and the
// peak heap in use.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/DataDog/gostackparse"
)

type result struct {
	Bytes           int     `json:"bytes"`
	Goroutines      int     `json:"goroutines"`
	Errors          int     `json:"errors"`
	Groups          int     `json:"groups"`
	ParseMedianMs   float64 `json:"parseMedianMs"`
	GroupMedianMs   float64 `json:"parseGroupMedianMs"`
	ParseCPUMs      float64 `json:"parseCpuMedianMs"`
	GroupCPUMs      float64 `json:"parseGroupCpuMedianMs"`
	MaxRSSMB        float64 `json:"maxRssMB"`
	ParseMBps       float64 `json:"parseMBps"`
	ParseGroupMBps  float64 `json:"parseGroupMBps"`
	PeakHeapMB      float64 `json:"peakHeapMB"`
	Runs            int     `json:"runs"`
	GoVersion       string  `json:"goVersion"`
	GostackparseVer string  `json:"gostackparse"`
}

func groupKey(sb *strings.Builder, g *gostackparse.Goroutine) string {
	sb.Reset()
	sb.WriteString(g.State)
	for _, f := range g.Stack {
		sb.WriteByte('|')
		sb.WriteString(f.Func)
		sb.WriteByte(' ')
		sb.WriteString(f.File)
		sb.WriteByte(':')
		sb.WriteString(strconv.Itoa(f.Line))
	}
	if g.CreatedBy != nil {
		sb.WriteString("|created by ")
		sb.WriteString(g.CreatedBy.Func)
		sb.WriteByte(' ')
		sb.WriteString(g.CreatedBy.File)
		sb.WriteByte(':')
		sb.WriteString(strconv.Itoa(g.CreatedBy.Line))
	}
	return sb.String()
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
	runs := flag.Int("runs", 5, "timed runs")
	once := flag.Bool("once", false, "read, parse and group once, print the counts and exit (for whole-process timing)")
	flag.Parse()
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		panic(err)
	}
	if *once {
		// The same work as one "parse + group" run, without the harness: what a whole command pays.
		gs, errs := gostackparse.Parse(bytes.NewReader(data))
		groups := map[string]int{}
		var sb strings.Builder
		for _, g := range gs {
			groups[groupKey(&sb, g)]++
		}
		_ = json.NewEncoder(os.Stdout).Encode(map[string]int{"goroutines": len(gs), "errors": len(errs), "groups": len(groups)})
		return
	}
	var peak uint64
	samplePeak := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak {
			peak = ms.HeapInuse
		}
	}
	res := result{Bytes: len(data), Runs: *runs, GoVersion: runtime.Version(), GostackparseVer: "v0.7.0"}
	var parseMs, groupMs, parseCPU, groupCPU []float64
	for i := 0; i < *runs; i++ {
		runtime.GC()
		cpu0 := cpuMs()
		start := time.Now()
		gs, errs := gostackparse.Parse(bytes.NewReader(data))
		parseMs = append(parseMs, float64(time.Since(start).Nanoseconds())/1e6)
		parseCPU = append(parseCPU, cpuMs()-cpu0)
		samplePeak()
		res.Goroutines, res.Errors = len(gs), len(errs)
		gs, errs = nil, nil

		runtime.GC()
		cpu0 = cpuMs()
		start = time.Now()
		gs, _ = gostackparse.Parse(bytes.NewReader(data))
		groups := map[string]int{}
		var sb strings.Builder
		for _, g := range gs {
			groups[groupKey(&sb, g)]++
		}
		groupMs = append(groupMs, float64(time.Since(start).Nanoseconds())/1e6)
		groupCPU = append(groupCPU, cpuMs()-cpu0)
		samplePeak()
		res.Groups = len(groups)
	}
	res.ParseMedianMs = median(parseMs)
	res.GroupMedianMs = median(groupMs)
	res.ParseCPUMs = median(parseCPU)
	res.GroupCPUMs = median(groupCPU)
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		res.MaxRSSMB = float64(ru.Maxrss) / 1024
	}
	mb := float64(len(data)) / (1 << 20)
	res.ParseMBps = mb / (res.ParseMedianMs / 1000)
	res.ParseGroupMBps = mb / (res.GroupMedianMs / 1000)
	res.PeakHeapMB = float64(peak) / (1 << 20)
	_ = json.NewEncoder(os.Stdout).Encode(res)
}
