package bulletin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// Printer prints a bulletin's HTML to PDF.
type Printer interface {
	PrintPDF(ctx context.Context, html []byte) ([]byte, error)
}

// ErrNoChromium means no Chromium was found to print the PDF with.
var ErrNoChromium = errors.New("chromium not found")

// InstallChromium is what to run when Chromium is missing.
const InstallChromium = "apt-get install -y chromium fonts-wqy-zenhei"

// Chromium prints with headless Chromium through the DevTools protocol
// (chromedp): the page is opened from a temporary file, the charts are
// awaited, and Page.printToPDF prints it on A4 with the page's own print
// stylesheet.
type Chromium struct {
	ExecPath string
	Timeout  time.Duration // whole print; 60 s when zero
}

// FindChromium looks for Debian's /usr/bin/chromium, then chromium and
// chromium-browser on PATH.
func FindChromium() (*Chromium, error) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return &Chromium{ExecPath: "/usr/bin/chromium"}, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return &Chromium{ExecPath: p}, nil
		}
	}
	return nil, fmt.Errorf("%w at /usr/bin/chromium or on PATH: install it with `%s`", ErrNoChromium, InstallChromium)
}

// PrintPDF implements Printer.
func (c *Chromium) PrintPDF(ctx context.Context, html []byte) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "innowatch-bulletin-")
	if err != nil {
		return nil, fmt.Errorf("print pdf: %w", err)
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "bulletin.html")
	if err := os.WriteFile(file, html, 0o600); err != nil {
		return nil, fmt.Errorf("print pdf: %w", err)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(c.ExecPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		// The width of A4 between the page margins at 96 dpi: the charts
		// are laid out at the width they are printed.
		chromedp.WindowSize(680, 960),
	)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	bctx, cancelTimeout := context.WithTimeout(bctx, timeout)
	defer cancelTimeout()
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	if err := chromedp.Do(bctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS(`body[data-charts-ready]`))); err != nil {
		return nil, fmt.Errorf("print pdf with %s: open the page: %w", c.ExecPath, err)
	}
	// The page's @page rule sets A4 and the margins; A4 is also the paper
	// should a stylesheet lack the rule.
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
	))
	if err != nil {
		return nil, fmt.Errorf("print pdf with %s: %w", c.ExecPath, err)
	}
	return pdf, nil
}
