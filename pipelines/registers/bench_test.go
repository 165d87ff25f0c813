package registers

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// BenchmarkNationalRosters reads, validates, loads and models simulated
// rosters of every county-level unit of the country (≈300,000
// certificates): the whole path from bytes to the register marts. The
// numbers are recorded in docs/PERFORMANCE.md and docs/REGISTERS.md.
//
//	go test ./pipelines/registers/ -run '^$' -bench NationalRosters -benchtime 1x
func BenchmarkNationalRosters(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, cat := testWarehouse(b)
		files, certs, err := GenerateRosters(cat.Regions(), SynthOptions{Scale: "national", Seed: 1, ToYear: 2020})
		if err != nil {
			b.Fatal(err)
		}
		ms, err := models.Load(sqlfiles.Models, "models")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := cpuSeconds()
		start := time.Now()
		rows := 0
		for _, name := range []string{SynthCertificates, SynthCandidates, SynthPlatforms} {
			ro := Read(name, files[name], cat, Options{})
			if ro.HasErrors() {
				b.Fatalf("%s refused: %v", name, ro.Problems)
			}
			rows += len(ro.Rows)
			if _, err := Load(ctx, db, ro, 1, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		loaded := time.Since(start)
		res, err := (&models.Builder{DB: db, Models: ms}).Build(ctx)
		if err != nil {
			b.Fatal(err)
		}
		total := time.Since(start)
		b.ReportMetric(cpuSeconds()-cpu0, "s-cpu")
		b.ReportMetric(float64(certs), "certificates")
		b.ReportMetric(loaded.Seconds(), "s-read+load")
		b.ReportMetric((total - loaded).Seconds(), "s-models")
		for _, m := range res.Models {
			if m.Duration > 300*time.Millisecond {
				b.Logf("%s: %d rows in %s", m.Name, m.Rows, m.Duration.Round(time.Millisecond))
			}
		}
		b.Logf("%d roster rows (%d certificates): read+load %s, models %s", rows, certs, loaded.Round(time.Millisecond), (total - loaded).Round(time.Millisecond))
	}
}

// cpuSeconds is the process's user + system CPU time: on a shared machine
// it says more than the wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
