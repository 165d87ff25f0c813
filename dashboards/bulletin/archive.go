package bulletin

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch/internal/fsutil"
)

// ArchiveDir is the site folder of the archive.
const ArchiveDir = "bulletins"

type archiveIssue struct {
	Issue, Title, Date, Dir string
	PDF                     bool
	Sample                  bool // written from the built-in simulated sample
	Revisions               []archiveRevision
}

type archiveRevision struct{ Href, Label string }

// WriteArchive writes siteDir/bulletins from the bulletins table:
//
//	bulletins/index.html               every issue, newest first
//	bulletins/YYYY-MM/index.html       the latest revision
//	bulletins/YYYY-MM/r0.html, r1.html every revision as published; earlier
//	                                   ones carry a notice naming the revision
//	bulletins/YYYY-MM/bulletin.md      the latest revision's text
//	bulletins/YYYY-MM/bulletin.pdf     its PDF, when it was printed
//
// The folder is written beside its target and swapped in whole, so it can
// be called on a site being staged (dashboards' Options.Extra) or, as now,
// on the published site right after a render. A warehouse without the
// bulletins table has published nothing: the index says so.
func WriteArchive(ctx context.Context, db *sql.DB, siteDir string) error {
	var exists bool
	if err := db.QueryRowContext(ctx, query("bulletins_exists")).Scan(&exists); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	var all []Stored
	if exists {
		var err error
		if all, err = All(ctx, db); err != nil {
			return fmt.Errorf("write bulletin archive: %w", err)
		}
	}
	dst := filepath.Join(siteDir, ArchiveDir)
	if err := fsutil.RecoverDir(dst); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	if err := os.MkdirAll(siteDir, 0o755); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	staging, err := os.MkdirTemp(siteDir, ArchiveDir+".new-")
	if err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(staging)
		}
	}()
	if err := os.Chmod(staging, 0o755); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	if err := writeArchive(staging, all); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	if err := fsutil.ReplaceDir(staging, dst); err != nil {
		return fmt.Errorf("write bulletin archive: %w", err)
	}
	done = true
	return nil
}

func writeArchive(dir string, all []Stored) error {
	byMonth := map[string][]Stored{}
	var months []string
	for _, s := range all {
		m := s.Month.String()
		if _, ok := byMonth[m]; !ok {
			months = append(months, m)
		}
		byMonth[m] = append(byMonth[m], s)
	}
	var issues []archiveIssue
	// The archive carries the badge when an issue was written from the
	// built-in sample, as every page showing sample data does (issue 14,
	// item 14); each such issue is marked too.
	sample := false
	// Newest first.
	for i := len(months) - 1; i >= 0; i-- {
		m := months[i]
		revs := byMonth[m]
		latest := revs[len(revs)-1]
		issue := archiveIssue{Issue: issueLabel(latest.Month), Title: latest.Title, Dir: m, PDF: latest.PDF != nil}
		var v Vintage
		if json.Unmarshal([]byte(latest.Vintage), &v) == nil && v.Sample() {
			issue.Sample, sample = true, true
		}
		if latest.PublishedAt.Valid {
			issue.Date = dateLabel(revs[0].PublishedAt.Time)
		}
		for _, r := range revs {
			name := "r" + strconv.Itoa(r.Revision) + ".html"
			html := r.HTML
			label := "原版"
			if r.Revision > 0 {
				label = "第" + strconv.Itoa(r.Revision) + "次修订：" + r.Reason
			}
			if r.PublishedAt.Valid {
				label += "（" + dateLabel(r.PublishedAt.Time) + "）"
			}
			if r.Revision != latest.Revision {
				html = strings.Replace(html, noticeSlot, `<p class="notice superseded">`+template.HTMLEscapeString(supersededNotice(latest))+`</p>`, 1)
			}
			if err := writeFile(filepath.Join(dir, m, name), []byte(html)); err != nil {
				return err
			}
			issue.Revisions = append(issue.Revisions, archiveRevision{Href: m + "/" + name, Label: label})
		}
		files := map[string][]byte{"index.html": []byte(latest.HTML), "bulletin.md": []byte(latest.Markdown)}
		if latest.PDF != nil {
			files["bulletin.pdf"] = latest.PDF
		}
		for name, b := range files {
			if err := writeFile(filepath.Join(dir, m, name), b); err != nil {
				return err
			}
		}
		issues = append(issues, issue)
	}
	title := "科技创新主要指标月报"
	if len(all) > 0 {
		title, _, _ = strings.Cut(all[len(all)-1].Title, "（")
	}
	var buf bytes.Buffer
	err := templates.ExecuteTemplate(&buf, "archive.html", struct {
		Title  string
		Sample bool
		Issues []archiveIssue
	}{title + " · 历期", sample, issues})
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "index.html"), buf.Bytes())
}

// writeFile writes one file of the staging folder.
func writeFile(name string, b []byte) error { return fsutil.WriteFileSynced(name, b) }
