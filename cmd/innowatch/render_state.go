package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// renderStateFile, inside the site, records what the site was rendered
// from. It is written into the staging folder, so it is published with the
// pages in the same swap and never describes a site that is not there.
const renderStateFile = ".innowatch-render"

// renderState is a hash of everything a render reads: the state of every
// model (which changes whenever a mart's inputs change), the facts' latest
// load (the sample badge, update times), the bulletins, the focus, the
// program itself, and today's date (data freshness is judged against today).
func renderState(ctx context.Context, db *sql.DB, now time.Time) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "day %s\n", now.In(shanghai()).Format(time.DateOnly))
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			fmt.Fprintf(h, "program %s %d %d\n", exe, st.Size(), st.ModTime().UnixNano())
		}
	}
	// One query (each is about half a millisecond of a no-op run), its
	// parts in a fixed order.
	rows, err := db.QueryContext(ctx, `SELECT line FROM (
		SELECT 1 AS part, model || ' ' || state_hash AS line FROM model_state
		UNION ALL SELECT 2, 'loads ' || count(*) || ' ' || coalesce(max(id), 0) FROM loads
		UNION ALL SELECT 3, 'bulletins ' || count(*) || ' ' || coalesce(CAST(max(published_at) AS VARCHAR), '') FROM bulletins
		UNION ALL SELECT 4, 'focus ' || city_code || ' ' || province_code FROM focus
		UNION ALL SELECT 5, 'targets ' || count(*) || ' ' || coalesce(sum(hash(t))::VARCHAR, '') FROM targets t
	) ORDER BY part, line`)
	if err != nil {
		return "", fmt.Errorf("render state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", fmt.Errorf("render state: %w", err)
		}
		fmt.Fprintln(h, line)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("render state: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// renderedState reads the state the site at out was rendered from, "" when
// unknown.
func renderedState(out string) string {
	b, err := os.ReadFile(filepath.Join(out, renderStateFile))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func writeRenderState(dir, state string) error {
	return os.WriteFile(filepath.Join(dir, renderStateFile), []byte(state+"\n"), 0o644)
}

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
