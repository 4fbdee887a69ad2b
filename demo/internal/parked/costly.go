package parked

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// The states below cost the process more than a goroutine each, so Park starts few of them (see ioWaitPer100k).

// parkIOWait blocks count goroutines reading pipes through the netpoller ([IO wait]); the write ends stay open.
func parkIOWait(b *blockers, count int) error {
	for i := 0; i < count; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			return fmt.Errorf("park in IO wait: %w", err)
		}
		b.started.Add(1)
		go func() {
			b.started.Done()
			buf := make([]byte, 1)
			_, _ = r.Read(buf)
			_ = w.Close() // unreached; keeps w, and so the write end, alive
		}()
	}
	return nil
}

// parkSyscall blocks count goroutines in read(2) on a blocking pipe, which the netpoller does not manage, so they
// stay in [syscall], each holding an OS thread.
func parkSyscall(b *blockers, count int) error {
	for i := 0; i < count; i++ {
		var fds [2]int
		if err := syscall.Pipe(fds[:]); err != nil {
			return fmt.Errorf("park in syscall: %w", err)
		}
		b.started.Add(1)
		go func() {
			b.started.Done()
			buf := make([]byte, 1)
			_, _ = syscall.Read(fds[0], buf)
		}()
	}
	return nil
}

// parkLocked parks count goroutines on a channel after LockOSThread: [chan receive, locked to thread].
func parkLocked(b *blockers, count int) {
	for i := 0; i < count; i++ {
		b.started.Add(1)
		go func() {
			runtime.LockOSThread()
			b.started.Done()
			<-b.never
		}()
	}
}

// spinRunnable starts count goroutines that call runtime.Gosched in a loop until ctx is done. A goroutine dump
// stops the world (runtime.Stack), which preempts running goroutines into _Grunnable, so each shows as
// [runnable] whether it was queued or on a CPU. Each costs up to a core while it runs.
func spinRunnable(ctx context.Context, count int) {
	for i := 0; i < count; i++ {
		go func() {
			for ctx.Err() == nil {
				runtime.Gosched()
			}
		}()
	}
}
