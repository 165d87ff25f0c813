// Command innowatch ingests innovation statistics into DuckDB, builds the
// SQL models, and publishes static dashboards and the monthly bulletin. See
// README.md.
//
// One file a command: root.go wires them (Main takes the arguments and the
// three standard streams and returns the exit code, so every command is
// testable in-process), run.go, ingest.go, build.go, render.go, bulletin.go,
// sqlcmd.go, schedule.go, … each hold one; writer.go and steps.go are what
// the writer jobs share.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
