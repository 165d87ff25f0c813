package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/chzyer/readline"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/sqlguard"
)

// REPLConfig is what the interactive loop needs from the terminal.
type REPLConfig struct {
	Stdin       io.ReadCloser
	Stdout      io.Writer
	Stderr      io.Writer
	HistoryFile string // "" keeps no history
	Banner      string
}

const (
	prompt     = "innowatch> "
	morePrompt = "        -> "
)

const replHelp = `Statements end with ';' and may span lines. Results print as a table.
  \d            list tables and views with their comments
  \d NAME       columns of a table or view, with their comments
  \timing       show or hide each statement's time
  \q            quit (Ctrl-D too)
Ctrl-C clears the statement being typed, or stops a running query.
Up/Down recall earlier statements; Ctrl-R searches them.`

// REPL reads statements at a terminal with line editing and history, runs
// each with the session's checks and limits, and prints the results. It
// returns nil on \q or end of input; a failing statement is reported and the
// loop goes on.
func (s *Session) REPL(ctx context.Context, cfg REPLConfig) error {
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 prompt,
		HistoryFile:            cfg.HistoryFile,
		HistoryLimit:           1000,
		DisableAutoSaveHistory: true, // whole statements are saved, not lines
		HistorySearchFold:      true,
		InterruptPrompt:        "^C",
		EOFPrompt:              `\q`,
		Stdin:                  cfg.Stdin,
		Stdout:                 cfg.Stdout,
		Stderr:                 cfg.Stderr,
	})
	if err != nil {
		return fmt.Errorf("start console: %w", err)
	}
	defer rl.Close()
	out := rl.Stdout()
	if cfg.Banner != "" {
		fmt.Fprintln(out, cfg.Banner)
	}
	// A Ctrl-C while a query runs stops that query, not the console.
	base := context.WithoutCancel(ctx)
	var buf strings.Builder
	for {
		if buf.Len() == 0 {
			rl.SetPrompt(prompt)
		} else {
			rl.SetPrompt(morePrompt)
		}
		line, err := rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			buf.Reset()
			continue
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read line: %w", err)
		}
		if buf.Len() == 0 {
			trimmed := strings.TrimSpace(line)
			if trimmed == "" {
				continue
			}
			if strings.HasPrefix(trimmed, `\`) {
				rl.SaveHistory(trimmed)
				if quit := s.meta(base, out, trimmed); quit {
					return nil
				}
				continue
			}
		}
		buf.WriteString(line)
		buf.WriteString("\n")
		if !sqlguard.Complete(buf.String()) {
			continue
		}
		script := buf.String()
		buf.Reset()
		rl.SaveHistory(strings.Join(strings.Fields(script), " "))
		s.runInteractive(base, out, script)
	}
}

func (s *Session) runInteractive(ctx context.Context, out io.Writer, script string) {
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		select {
		case <-sig:
			cancel()
		case <-qctx.Done():
		}
	}()
	err := s.Run(qctx, script, Output{
		New:      func() (ResultWriter, error) { return &tableWriter{w: out}, nil },
		Notes:    out,
		Truncate: true,
	})
	if err != nil {
		PrintError(out, err)
	}
}

// meta runs a backslash command; it reports whether to quit.
func (s *Session) meta(ctx context.Context, out io.Writer, cmd string) bool {
	fields := strings.Fields(cmd)
	switch fields[0] {
	case `\q`, `\quit`:
		return true
	case `\?`, `\h`, `\help`:
		fmt.Fprintln(out, replHelp)
	case `\timing`:
		switch {
		case len(fields) > 1 && fields[1] == "on":
			s.opt.Timing = true
		case len(fields) > 1 && fields[1] == "off":
			s.opt.Timing = false
		default:
			s.opt.Timing = !s.opt.Timing
		}
		state := "off"
		if s.opt.Timing {
			state = "on"
		}
		fmt.Fprintf(out, "Timing is %s.\n", state)
	case `\d`, `\dt`, `\dv`:
		var err error
		if len(fields) > 1 {
			err = s.DescribeRelation(ctx, out, strings.Trim(fields[1], `";`))
		} else {
			err = s.ListRelations(ctx, out)
		}
		if err != nil {
			PrintError(out, err)
		}
	default:
		fmt.Fprintf(out, "unknown command %s; \\? lists the commands\n", fields[0])
	}
	return false
}

// PrintError writes an error and its hint the way the command line does.
func PrintError(w io.Writer, err error) {
	fmt.Fprintf(w, "error: %v\n", err)
	if hint := innowatch.HintOf(err); hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}
