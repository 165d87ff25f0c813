package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Notifier sends alerts to the log and, when URL is set, as an HTTP POST
// of the Alert as JSON, retried with backoff. Sends run in the background
// so a slow webhook never delays a job; Close waits for them.
type Notifier struct {
	URL     string
	Retries int           // extra attempts after the first
	Backoff time.Duration // before the first retry, doubled after each
	Timeout time.Duration // per request
	Client  *http.Client
	Clock   clockwork.Clock
	Logger  *slog.Logger

	wg sync.WaitGroup
}

// Alert logs a and posts it to the webhook.
func (n *Notifier) Alert(a Alert) {
	log := n.logger()
	attrs := []any{"alert", a.Kind, "message", a.Message}
	if a.Job != "" {
		attrs = append(attrs, keyJob, a.Job)
	}
	if a.Trigger != "" {
		attrs = append(attrs, keyTrigger, a.Trigger, "attempts", a.Attempts)
	}
	if a.Error != "" {
		attrs = append(attrs, keyErr, a.Error)
	}
	if a.Kind == AlertFailure {
		log.Error("alert", attrs...)
	} else {
		log.Warn("alert", attrs...)
	}
	if n.URL == "" {
		return
	}
	body, err := json.Marshal(a)
	if err != nil {
		log.Error("alert webhook: encode alert", keyErr, err)
		return
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if err := n.post(body); err != nil {
			log.Error("alert webhook failed; the alert is only in this log", keyErr, err, "url", n.URL)
		}
	}()
}

// Close waits for the alerts being sent, at most until ctx ends.
func (n *Notifier) Close(ctx context.Context) error {
	done := make(chan struct{})
	go func() { n.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("send alerts: %w", ctx.Err())
	}
}

func (n *Notifier) post(body []byte) error {
	clock := n.Clock
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	client := n.Client
	if client == nil {
		client = http.DefaultClient
	}
	timeout := n.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	backoff := n.Backoff
	if backoff <= 0 {
		backoff = 5 * time.Second
	}
	var last error
	for attempt := 0; attempt <= n.Retries; attempt++ {
		if attempt > 0 {
			<-clock.After(backoff)
			backoff *= 2
		}
		last = n.postOnce(client, timeout, body)
		if last == nil {
			return nil
		}
		n.logger().Warn("alert webhook attempt failed", keyAttempt, attempt+1, keyErr, last)
	}
	return fmt.Errorf("post alert after %d attempt(s): %w", n.Retries+1, last)
}

func (n *Notifier) postOnce(client *http.Client, timeout time.Duration, body []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "innowatch-schedule")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

func (n *Notifier) logger() *slog.Logger {
	if n.Logger != nil {
		return n.Logger
	}
	return slog.Default()
}
