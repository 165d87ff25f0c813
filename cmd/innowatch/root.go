package main

// Main and the root command: the arguments and the three standard streams
// in, the exit code out, so the whole CLI is testable in-process.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// env is what every command needs from the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

// Main runs innowatch with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	var usage *usageError
	if errors.As(err, &usage) || cmd == nil || isFlagError(err) {
		fmt.Fprintf(stderr, "innowatch: %v\n", err)
		if cmd != nil {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return ExitUsage
	}
	fmt.Fprintf(stderr, "innowatch: %v\n", err)
	if hint := innowatch.HintOf(err); hint != "" {
		fmt.Fprintf(stderr, "hint: %s\n", hint)
	}
	return ExitError
}

type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func isFlagError(err error) bool {
	var fe *flagErr
	return errors.As(err, &fe)
}

type flagErr struct{ error }

func (f *flagErr) Unwrap() error { return f.error }

// Defaults: with no configuration innowatch works in the current folder.
const (
	defaultDB  = "warehouse.duckdb"
	defaultOut = "site"
)

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "innowatch",
		Short: "Innovation statistics for Linyi: warehouse, models, dashboards, SQL",
		Long: `innowatch loads innovation statistics (R&D, high-tech industry, enterprises,
platforms, incubators, technology contracts, targets) into a DuckDB warehouse,
compares Linyi's counties and the city with the provincial average, and
publishes an offline dashboard site.

With no configuration it works on the sample dataset built into the binary:
  innowatch run            # warehouse.duckdb + site/index.html here`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &flagErr{err} })
	root.PersistentFlags().String("db", defaultDB, "path of the DuckDB warehouse file")
	root.AddCommand(
		newRunCmd(e),
		newIngestCmd(e),
		newBuildCmd(e),
		newRenderCmd(e),
		newSQLCmd(e),
		newBulletinCmd(e),
		newExportCmd(e),
		newScheduleCmd(e),
		newRunsCmd(e),
		newGenCmd(e),
		newFocusCmd(e),
		newRestoreCmd(e),
		newRegistersCmd(e),
		newCultivateCmd(e),
	)
	return root
}

func dbFlag(cmd *cobra.Command) string {
	p, _ := cmd.Flags().GetString("db")
	return p
}
