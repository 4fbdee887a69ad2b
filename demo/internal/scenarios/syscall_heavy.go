package scenarios

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

const (
	syscallWriters = 4
	// The shipper drains this many bytes per tick; with one write(2) per byte
	// that caps the writers at ~1M syscalls/s (well under a core here). The rest
	// of the time they are blocked inside write(2) on the full pipe, which is
	// what puts them in the "syscall" state in goroutine dumps.
	syscallDrainBytes = 1024
	syscallDrainTick  = time.Millisecond
)

func syscallHeavy() Scenario {
	return Scenario{
		Name:    "syscall-heavy",
		Finding: "syscall-heavy",
		Description: "4 goroutines write an access log one byte per write(2), with no bufio.Writer, into a blocking " +
			"pipe that a slow shipper drains (scenarios.unbufferedByteWriter): CPU goes to syscall.Syscall/write " +
			"and the writers sit in the syscall state, each holding an OS thread.",
		counters: []string{"writes", "shipped"},
		run:      runSyscallHeavy,
	}
}

func runSyscallHeavy(ctx context.Context, c *Counters) {
	r, w, err := blockingPipe()
	if err != nil {
		panic("syscall-heavy: " + err.Error())
	}
	defer r.Close()
	writes := c.Get("writes")
	var writers sync.WaitGroup
	for i := range syscallWriters {
		// Each writer gets its own descriptor: an *os.File serializes its
		// writers on an internal lock, and we want them all inside write(2).
		fw := w
		if i > 0 {
			if fw, err = dupFile(w); err != nil {
				panic("syscall-heavy: " + err.Error())
			}
		}
		writers.Go(func() {
			defer fw.Close() // the shipper sees EOF once every write end is closed
			unbufferedByteWriter(ctx, fw, writes.Add)
		})
	}
	slowLogShipper(ctx, r, c.Get("shipped").Add)
}

// blockingPipe returns a pipe whose ends are in blocking mode, so a write to
// a full pipe blocks the thread inside write(2) rather than parking the
// goroutine in the netpoller as os.Pipe would.
func blockingPipe() (r, w *os.File, err error) {
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "log-pipe-r"), os.NewFile(uintptr(fds[1]), "log-pipe-w"), nil
}

func dupFile(f *os.File) (*os.File, error) {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// unbufferedByteWriter is the bug: one system call per byte.
func unbufferedByteWriter(ctx context.Context, w *os.File, addWrites func(int64) int64) {
	p := newPacer(ctx, 1)
	line := []byte("GET /work 200 0.4ms\n")
	var n int64
	for i := 0; p.pace(); i++ {
		if _, err := w.Write(line[i%len(line) : i%len(line)+1]); err != nil {
			break
		}
		if n++; n == flushEvery {
			addWrites(n)
			n = 0
		}
	}
	addWrites(n)
}

// slowLogShipper drains the pipe at a fixed rate while the scenario is on,
// then as fast as it can until the writers have gone.
func slowLogShipper(ctx context.Context, r *os.File, addShipped func(int64) int64) {
	buf := make([]byte, 64<<10)
	for {
		limit := len(buf)
		if ctx.Err() == nil {
			time.Sleep(syscallDrainTick)
			limit = syscallDrainBytes
		}
		n, err := r.Read(buf[:limit])
		addShipped(int64(n))
		if errors.Is(err, io.EOF) || (err != nil && ctx.Err() != nil) {
			return
		}
	}
}
