package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// TestInterruptStopsCommands: issue 12, "convert/lint/migrate ignore
// Ctrl-C and SIGTERM". main turns SIGINT/SIGTERM into ctx's cancellation
// (signal.NotifyContext); here ctx is cancelled while convert and lint
// block reading a stdin nobody writes to, a command that never looks at
// ctx. Main must return ExitInterrupted within the command's grace
// (defaultGrace) and say so; before the fix it waited for the command.
func TestInterruptStopsCommands(t *testing.T) {
	for _, args := range [][]string{{"convert", "-"}, {"lint", "-"}} {
		t.Run(args[0], func(t *testing.T) {
			stdin, w := io.Pipe()
			defer w.Close() // ends the abandoned command's read
			ctx, cancel := context.WithCancel(context.Background())
			var errb bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- Main(ctx, "test", args, IO{Stdin: stdin, Stdout: io.Discard, Stderr: &errb}, func(string) string { return "" })
			}()
			time.Sleep(50 * time.Millisecond) // the command is reading
			cancel()
			start := time.Now()
			select {
			case code := <-done:
				if code != ExitInterrupted {
					t.Errorf("exit %d, want %d", code, ExitInterrupted)
				}
				if waited := time.Since(start); waited > defaultGrace+time.Second {
					t.Errorf("stopped after %s, want about %s", waited, defaultGrace)
				}
			case <-time.After(defaultGrace + 5*time.Second):
				t.Fatalf("cronbridge %s still running %s after the interrupt", args[0], defaultGrace+5*time.Second)
			}
			if !strings.Contains(errb.String(), "cronbridge "+args[0]+": interrupted") {
				t.Errorf("stderr does not say interrupted:\n%s", errb.String())
			}
		})
	}
}
