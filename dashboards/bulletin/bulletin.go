// Package bulletin writes the monthly bulletin (月报) "临沂市科技创新主要指标月报
// （2020年1-10月）" from the marts the dashboards read: a Chinese narrative
// from data-driven sentence templates, a table per headline indicator, charts,
// notes with definitions, sources and the data vintage; as a self-contained
// HTML page (A4 print stylesheet), Markdown text and, when Chromium is
// present, a PDF.
//
// Published bulletins live in the warehouse table bulletins, insert-only: a
// month is published once; a correction is a revision with its reason, and
// the original stays. WriteArchive rewrites the site's bulletins/ folder from
// that table, so the archive survives every re-render of the site.
package bulletin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

var (
	// ErrMartMissing means a mart (or a column of one) the bulletin reads
	// is not in the warehouse.
	ErrMartMissing = errors.New("mart missing")
	// ErrNoData means there is nothing to write a bulletin from.
	ErrNoData = errors.New("no data for a bulletin")
	// ErrAlreadyPublished refuses to publish a month twice without --revise.
	ErrAlreadyPublished = errors.New("bulletin already published")
	// ErrNotPublished refuses a revision of a month never published.
	ErrNotPublished = errors.New("bulletin not published yet")
)

// Meta is what a bulletin says about its own publication.
type Meta struct {
	Revision    int
	Reason      string    // why this revision was published; "" for the original
	PublishedAt time.Time // printed as a date (Beijing time)
	// OriginalPublishedAt is when revision 0 was published (revisions only).
	OriginalPublishedAt time.Time
}

// Document is one rendered bulletin.
type Document struct {
	Month    innowatch.Period
	Title    string
	Issue    int // 第N期 of the year: the month
	HTML     []byte
	Markdown []byte
	Parts    []Part
	Vintage  Vintage
}

// Generate reads the marts and renders the bulletin for month. The output
// depends only on the marts and meta: the same vintage and meta give the
// same bytes.
func Generate(ctx context.Context, db *sql.DB, month innowatch.Period, meta Meta) (*Document, error) {
	d, err := Load(ctx, db, month)
	if err != nil {
		return nil, err
	}
	return Render(d, meta)
}

// Options tune Publish.
type Options struct {
	// Month to publish; the zero Period means the latest month with data.
	Month innowatch.Period
	// Revise, when not empty, is the reason for publishing a revision of a
	// month already published.
	Revise string
	RunID  int64
	Now    func() time.Time
	// Printer prints the PDF; nil publishes without one.
	Printer Printer
}

// Result says what Publish stored.
type Result struct {
	Month    innowatch.Period
	Revision int
	Title    string
	Issue    int
	PDF      bool
	Vintage  Vintage
	// SameAsPrevious is set on a revision whose content (narrative,
	// tables, notes) equals the previous revision's: only the date and
	// the notice differ.
	SameAsPrevious bool
}

// Publish renders the bulletin of opt.Month and stores it in the bulletins
// table in one transaction. A month already published is refused unless
// opt.Revise gives a reason, which stores the next revision and leaves the
// earlier ones as they were.
func Publish(ctx context.Context, db *duckdb.DB, opt Options) (*Result, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	reason := strings.TrimSpace(opt.Revise)
	if opt.Revise != "" && reason == "" {
		return nil, &innowatch.Error{Msg: "bulletin: --revise needs a reason", Hint: `say why, e.g. --revise "蒙阴县数据补报"`}
	}
	month := opt.Month
	if month == (innowatch.Period{}) {
		m, err := LatestMonth(ctx, db.SQL())
		if err != nil {
			return nil, err
		}
		month = m
	}
	if month.Annual() {
		return nil, &innowatch.Error{Msg: fmt.Sprintf("bulletin: %s is a year, a bulletin covers a month", month), Hint: "give --month YYYY-MM"}
	}
	var res *Result
	err := db.Write(ctx, func(conn *sql.Conn) error {
		revs, err := Revisions(ctx, db.SQL(), month)
		if err != nil {
			return err
		}
		switch {
		case len(revs) > 0 && reason == "":
			last := revs[len(revs)-1]
			return &innowatch.Error{
				Msg: fmt.Sprintf("bulletin %s is already published (revision %d, %s); a published bulletin is never rewritten",
					month, last.Revision, last.PublishedAt.Time.In(chinaTime).Format("2006-01-02 15:04")),
				Hint: `to correct it, publish a revision with its reason: innowatch bulletin --month ` + month.String() + ` --revise "原因"`,
				Err:  ErrAlreadyPublished,
			}
		case len(revs) == 0 && reason != "":
			return &innowatch.Error{
				Msg:  fmt.Sprintf("bulletin %s has not been published: there is nothing to revise", month),
				Hint: "publish it first without --revise",
				Err:  ErrNotPublished,
			}
		}
		meta := Meta{Revision: len(revs), Reason: reason, PublishedAt: now()}
		if len(revs) > 0 {
			meta.OriginalPublishedAt = revs[0].PublishedAt.Time
		}
		doc, err := Generate(ctx, db.SQL(), month, meta)
		if err != nil {
			return err
		}
		var pdf []byte
		if opt.Printer != nil {
			if pdf, err = opt.Printer.PrintPDF(ctx, doc.HTML); err != nil {
				return fmt.Errorf("print bulletin %s to PDF: %w", month, err)
			}
		}
		if err := insert(ctx, conn, doc, meta, pdf, opt.RunID, len(revs)); err != nil {
			return err
		}
		res = &Result{Month: month, Revision: meta.Revision, Title: doc.Title, Issue: doc.Issue, PDF: pdf != nil, Vintage: doc.Vintage}
		if len(revs) > 0 {
			res.SameAsPrevious = contentOf(string(doc.Markdown)) == contentOf(revs[len(revs)-1].Markdown)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
