package pipelines

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
)

// File is an input file: its bytes in Data, or a Path to stream it from
// (large CSV files are never held in memory whole).
type File struct {
	Name string // as recorded in lineage
	Data []byte
	Path string // read from here when Data is nil
}

// open returns the file's content and size.
func (f File) open() (io.ReadCloser, int64, error) {
	if f.Data != nil || f.Path == "" {
		return io.NopCloser(bytes.NewReader(f.Data)), int64(len(f.Data)), nil
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, 0, fmt.Errorf("open input: %w", err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, fmt.Errorf("open input: %w", err)
	}
	return fh, st.Size(), nil
}

// size is the file's length in bytes, 0 when unknown.
func (f File) size() int64 {
	if f.Data != nil || f.Path == "" {
		return int64(len(f.Data))
	}
	st, err := os.Stat(f.Path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// bytes returns the whole content (formats that need random access).
func (f File) bytes() ([]byte, error) {
	if f.Data != nil || f.Path == "" {
		return f.Data, nil
	}
	return os.ReadFile(f.Path)
}

// Hash is the sha256 of the file's bytes, read once more if streamed.
func (f File) Hash() (string, error) {
	r, _, err := f.open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("hash %s: %w", f.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FilesFromFS reads every regular file of fsys at its root, sorted by name,
// recording each under prefix+name.
func FilesFromFS(fsys fs.FS, prefix string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.EqualFold(e.Name(), "README.md") {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: prefix + e.Name(), Data: data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// ReadOptions steer the readers.
type ReadOptions struct {
	// Encoding of text files: EncAuto (detect), EncUTF8, EncGBK, EncGB18030.
	Encoding string
	// Period is used by wide sheets whose title and sheet name state none.
	Period *innowatch.Period
	// Mapping forces a template mapping for wide sheets; nil chooses one by
	// the sheet's title and headers among Mappings.
	Mapping *Mapping
	// Mappings are the templates to choose from; nil means the built-in ones.
	Mappings []*Mapping
	// Progress receives the bytes read so far.
	Progress func(done int64)
	// Workers parsing a CSV in parallel; 0 means one per core.
	Workers int
	// blockSize overrides the CSV block size (tests cut tiny blocks).
	blockSize int
	// sizeHint is the file's size, to reserve room for its facts once.
	sizeHint int64
	// deferFactChecks leaves checkFacts of a long CSV to the caller, which
	// runs it beside the plausibility checks (Batch.startFactChecks).
	deferFactChecks bool
}

// Formats by extension.
var formats = map[string]string{
	".csv": "csv", ".txt": "csv",
	".xlsx": "xlsx", ".xlsm": "xlsx",
	".parquet": "parquet", ".pq": "parquet",
	".arrow": "arrow", ".arrows": "arrow", ".ipc": "arrow", ".feather": "arrow",
	".json": "json", ".ndjson": "json", ".jsonl": "json",
}

// Parse reads a file in the format its extension says.
func Parse(f File, cat *innowatch.Catalog) *Batch {
	return ParseWith(context.Background(), f, cat, ReadOptions{})
}

// ParseWith reads a file with options. It never panics on bad input: a
// reader that fails unexpectedly refuses the file with a problem.
func ParseWith(ctx context.Context, f File, cat *innowatch.Catalog, opt ReadOptions) (b *Batch) {
	defer func() {
		if p := recover(); p != nil {
			b = unreadable(f.Name, p)
		}
		if b.Hash == "" {
			b.Hash, _ = f.Hash()
		}
	}()
	ext := strings.ToLower(path.Ext(filepath.ToSlash(f.Name)))
	format, known := formats[ext]
	if !known {
		b = newBatch(f.Name, nil)
		exp := ".csv、.xlsx、.parquet、.arrow、.json、.ndjson"
		hint := ""
		if ext == ".xls" || ext == ".et" {
			hint = xlsHint
		}
		b.report(Problem{Severity: SeverityError, Key: "unknown_format", Value: ext, Message: "不支持的文件格式", Expected: exp, Hint: hint})
		return b
	}
	if format == "csv" {
		r, _, err := f.open()
		if err != nil {
			b = newBatch(f.Name, nil)
			b.report(Problem{Severity: SeverityError, Key: "read_error", Message: "读取文件失败: " + err.Error()})
			return b
		}
		defer r.Close()
		head := make([]byte, 8)
		n, _ := io.ReadFull(r, head)
		head = head[:n]
		if p, ok := wrongContent(head, format); ok {
			b = newBatch(f.Name, nil)
			b.report(p)
			return b
		}
		opt.sizeHint = f.size()
		b = readCSV(ctx, f.Name, io.MultiReader(bytes.NewReader(head), r), cat, opt)
		refuseEmpty(b)
		return b
	}
	data, err := f.bytes()
	if err != nil {
		b = newBatch(f.Name, nil)
		b.report(Problem{Severity: SeverityError, Key: "read_error", Message: "读取文件失败: " + err.Error()})
		return b
	}
	if opt.Progress != nil && format != "xlsx" { // sheets report as they stream
		opt.Progress(int64(len(data)))
	}
	if format == "xlsx" && bytes.HasPrefix(data, magics[1].magic) {
		// An OLE compound file: a password-protected workbook, or an old
		// .xls renamed; say which.
		b = newBatch(f.Name, data)
		if excel.IsEncrypted(data) {
			b.report(xlsxOpenProblem(excel.ErrEncrypted))
		} else {
			b.report(xlsxOpenProblem(excel.ErrOLE))
		}
		return b
	}
	if p, ok := wrongContent(data, format); ok {
		b = newBatch(f.Name, data)
		b.report(p)
		return b
	}
	switch format {
	case "xlsx":
		b = readXLSX(f.Name, data, cat, opt)
	case "parquet":
		b = readParquet(f.Name, data, cat)
	case "arrow":
		b = readArrowIPC(f.Name, data, cat)
	default:
		b = readJSON(f.Name, data, cat, opt)
	}
	refuseEmpty(b)
	return b
}

// unreadable is the batch of a file whose reader failed unexpectedly.
func unreadable(name string, p any) *Batch {
	b := newBatch(name, nil)
	b.report(Problem{Severity: SeverityError, Key: "unreadable", Message: fmt.Sprintf("无法读取文件（%v）", p),
		Hint: "文件可能已损坏；请用 Excel 打开并另存后再导入"})
	return b
}

// refuseEmpty refuses a file that parsed but holds no fact and no target
// (a CSV with only its header, an empty JSON array): it is not a load.
func refuseEmpty(b *Batch) {
	if b.HasErrors() || b.Len() > 0 || len(b.Targets) > 0 {
		return
	}
	b.report(Problem{Severity: SeverityError, Key: "empty_file", Message: "文件没有数据行（只有表头或为空数组）",
		Expected: "至少一行数据", Hint: "检查是否导出了空表或选错了文件"})
}

// Magic numbers of the binary formats.
var magics = []struct {
	format, name string
	magic        []byte
}{
	{"xlsx", "XLSX 工作簿（ZIP）", []byte("PK\x03\x04")},
	{"xls", "旧版 .xls 工作簿", []byte("\xd0\xcf\x11\xe0")},
	{"parquet", "Parquet 文件", []byte("PAR1")},
	{"arrow", "Arrow IPC 文件", []byte("ARROW1")},
}

// wrongContent recognises a file whose bytes are another format than its
// extension says: a workbook renamed to .csv, an empty "xlsx".
func wrongContent(head []byte, format string) (Problem, bool) {
	if len(bytes.TrimSpace(head)) == 0 {
		return Problem{Severity: SeverityError, Key: "empty_file", Message: "文件为空",
			Expected: "有内容的 " + format + " 文件"}, true
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			if m.format == format {
				return Problem{}, false
			}
			return Problem{Severity: SeverityError, Key: "wrong_format", Message: "文件内容是" + m.name + "，与扩展名不符",
				Expected: format + " 文件", Hint: "改正扩展名，或导出为正确格式后再导入"}, true
		}
	}
	switch format {
	case "xlsx", "parquet":
		return Problem{Severity: SeverityError, Key: "wrong_format", Message: "文件内容不是 " + format + " 格式（可能已损坏或被截断）",
			Expected: format + " 文件", Hint: "重新导出或重新下载该文件"}, true
	}
	return Problem{}, false
}

// xlsHint is the one-line conversion an old workbook needs.
const xlsHint = "旧版 .xls/.et 工作簿请用 Excel 或 WPS 另存为 .xlsx，或运行 soffice --headless --convert-to xlsx 文件名.xls"

// Options for Ingest.
type Options struct {
	DryRun bool // validate and report, load nothing
	Read   ReadOptions
	// Progress, when set, is told about each file as it is read and loaded.
	Progress Progress
	// Accept turns the plausibility problems they match into warnings whose
	// reasons are stored with the load (ParseAccept).
	Accept []*Accept
	// Now is today for the calendar check (a period after this month is
	// refused); nil means the wall clock. (The loader's clock stamps loads.)
	Now func() time.Time
	// parse reads a file; nil means ParseWith (tests count the calls).
	parse func(context.Context, File, *innowatch.Catalog, ReadOptions) *Batch
}

// Progress shows how far a long file has got (a bar on a terminal).
type Progress interface {
	// Start begins a file of total bytes; Phase names what happens now
	// (读取校验, 写入仓库); Set moves to done bytes; Done ends the file.
	Start(name string, total int64)
	Phase(name string)
	Set(done int64)
	Done()
}

// Ingest validates every file, then loads each valid one as its own unit: a
// bad file is refused whole (its result carries the problems) and the others
// still load. Validation comes first, for all files: format and values, then
// plausibility against the file itself and the warehouse, then facts two
// files of the command state differently (both refused); only then is a
// file recognised as loaded before (same bytes and same effective options)
// or written. The error is non-nil when any file was refused or could not be
// written.
func Ingest(ctx context.Context, l *Loader, cats innowatch.CatalogSource, runID int64, files []File, opt Options) ([]LoadResult, error) {
	batches := make([]*Batch, len(files))
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := validateOne(ctx, l, cats, f, opt)
		if err != nil {
			return nil, err
		}
		batches[i] = b
	}
	crossFileConflicts(batches)
	if !opt.DryRun && l != nil {
		for _, b := range batches {
			stagePlanned(b)
		}
	}
	releaseParseMemory(batches)
	var results []LoadResult
	var refused []string
	for i, b := range batches {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res, err := loadOne(ctx, l, runID, files[i], b, opt)
		results = append(results, res)
		batches[i] = nil // let the facts go once written
		if err != nil {
			return results, err
		}
		if res.Status == Refused {
			refused = append(refused, files[i].Name)
		}
	}
	if len(refused) > 0 {
		return results, &innowatch.Error{
			Msg:  fmt.Sprintf("%d of %d file(s) refused: %s", len(refused), len(files), strings.Join(refused, ", ")),
			Hint: "fix the rows listed above and ingest those files again; nothing of a refused file was loaded",
		}
	}
	return results, nil
}

// validateOne recognises a file loaded before (same bytes, same options),
// else parses and validates it and runs the checks that need the warehouse.
// The catalog is asked for only then: a recognised file never needs it.
func validateOne(ctx context.Context, l *Loader, cats innowatch.CatalogSource, f File, opt Options) (*Batch, error) {
	size := f.size()
	if !opt.DryRun && l != nil {
		b, err := l.recognise(ctx, f, size, optionsText(opt.Read))
		if err != nil || b != nil {
			return b, err
		}
	}
	cat, err := cats.Catalog()
	if err != nil {
		return nil, err
	}
	ro := opt.Read
	if opt.Progress != nil {
		opt.Progress.Start(f.Name, size)
		defer opt.Progress.Done()
		opt.Progress.Phase("读取校验")
		ro.Progress = opt.Progress.Set
	}
	parse := opt.parse
	if parse == nil {
		parse = ParseWith
	}
	ro.deferFactChecks = true
	b := parse(ctx, f, cat, ro)
	b.Size = size
	b.Options = optionsText(opt.Read)
	b.Identity = identity(b.Hash, b.Options)
	b.rules = opt.Accept
	if b.HasErrors() {
		b = b.startFactChecks(cat, nil)()
		return b, nil
	}
	// checkFacts (duplicate keys, year-to-date decreases) runs on another
	// goroutine beside what follows, which reads the facts but leaves b's
	// problems alone until wait returns. Its errors refuse the file before
	// anything else counts, as when it ran first: the plausibility problems
	// are then dropped, and so is an error of the warehouse's.
	var fg *factGroups // the facts' groups, built once for both checks
	if b.factChecksPending && b.facts != nil && b.facts.Len() > 0 {
		fg = newFactGroups(b.facts)
	}
	wait := b.startFactChecks(cat, fg)
	if !opt.DryRun && l != nil {
		// Loaded before with these bytes and options (a file whose size was
		// not recorded, or that changed size): it was checked then and
		// nothing will be written, so the costly comparisons with the
		// warehouse are skipped (its facts are let go at once).
		prev, ok, err := l.Seen(ctx, b.Identity)
		if err != nil || ok {
			if b = wait(); b.HasErrors() {
				return b, nil
			}
		}
		if err != nil {
			return nil, err
		}
		if ok {
			b.seen = &prev
			b.facts = newFactStore()
			return b, nil
		}
	}
	if opt.Progress != nil {
		opt.Progress.Phase("合理性检查")
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	found, err := l.plausible(ctx, b, cat, now(), fg)
	if b = wait(); b.HasErrors() {
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	replay(b, found, opt.Accept)
	if l != nil && !b.HasErrors() {
		if err := l.CheckTotals(ctx, b); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// startFactChecks runs checkFacts, when the reader left it to the caller,
// on another goroutine (with the facts' groups fg when built). Until the returned wait is called, only the checks
// may touch b's problems; wait returns b once they are done (or, when they
// panicked, the batch ParseWith would have returned: the file refused as
// unreadable). Call wait exactly once.
func (b *Batch) startFactChecks(cat *innowatch.Catalog, fg *factGroups) (wait func() *Batch) {
	if !b.factChecksPending {
		return func() *Batch { return b }
	}
	b.factChecksPending = false
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		if fg != nil {
			checkFactsGrouped(b, cat, fg)
		} else {
			checkFacts(b, cat)
		}
	}()
	return func() *Batch {
		p := <-done
		if p == nil {
			return b
		}
		u := unreadable(b.File, p)
		u.Hash, u.Size, u.Options, u.Identity, u.rules = b.Hash, b.Size, b.Options, b.Identity, b.rules
		return u
	}
}

// recognise returns the batch of a file loaded before with the same bytes
// and options, found without parsing it, or nil. Only a file whose size an
// earlier load with these options recorded is hashed first (sha256 reads
// 220 MB in ≈ 0.2 s); any other is hashed while it is parsed, so a new large
// file is read once. A file loaded before is not validated again: nothing of
// it is written again either.
func (l *Loader) recognise(ctx context.Context, f File, size int64, options string) (*Batch, error) {
	if size <= 0 {
		return nil, nil
	}
	var maybe bool
	if err := l.DB.SQL().QueryRowContext(ctx, query("load_size_seen"), size, options).Scan(&maybe); err != nil {
		return nil, fmt.Errorf("look up earlier loads: %w", err)
	}
	if !maybe {
		return nil, nil
	}
	hash, err := f.Hash()
	if err != nil {
		return nil, nil // the reader reports it, located
	}
	ident := identity(hash, options)
	prev, ok, err := l.Seen(ctx, ident)
	if err != nil || !ok {
		return nil, err
	}
	b := newBatch(f.Name, nil)
	b.Hash, b.Size, b.Options, b.Identity, b.seen = hash, size, options, ident, &prev
	return b, nil
}

// stagePlanned prepares a batch that will be written for innowatch_stage
// and lets go of the fact columns the stage no longer reads (period,
// status, missing reason, sheet and note: 17 bytes a fact, folded into the
// plan's 4-byte extra), so that they are released with the parse's garbage
// before DuckDB's insert allocates its buffers. Nothing reads them after
// the checks: the load writes the plan.
func stagePlanned(b *Batch) {
	if b == nil || b.HasErrors() || b.seen != nil || b.facts == nil || b.facts.Len() == 0 {
		return
	}
	b.plan = newStagePlan(b.facts)
	s := b.facts
	s.period, s.status, s.reason, s.sheet, s.note = nil, nil, nil, nil, nil
}

// releaseFacts is the number of facts from which the parse's garbage is
// handed back to the system before loading.
const releaseFacts = 1_000_000

// releaseParseMemory returns the parse's garbage (4 MB blocks, per-block
// stores, the checks' maps) to the system before DuckDB's insert allocates
// its own buffers, so that the two do not add up in the process's peak. A
// forced collection of a heap of large pointer-free slices costs a few tens
// of milliseconds; it is skipped for small batches.
func releaseParseMemory(batches []*Batch) {
	n := 0
	for _, b := range batches {
		if b != nil && !b.HasErrors() && b.seen == nil {
			n += b.Len()
		}
	}
	if n >= releaseFacts {
		debug.FreeOSMemory()
	}
}

// loadOne decides what becomes of a validated batch: refused, valid (dry
// run), unchanged (loaded before with the same options) or loaded.
func loadOne(ctx context.Context, l *Loader, runID int64, f File, b *Batch, opt Options) (LoadResult, error) {
	if opt.DryRun || b.HasErrors() || l == nil {
		res := resultOf(b)
		res.Status = Valid
		if b.HasErrors() {
			res.Status = Refused
		}
		return res, nil
	}
	if b.seen != nil {
		return LoadResult{File: f.Name, Status: Unchanged, PrevLoad: b.seen.ID, PrevAt: b.seen.At}, nil
	}
	if opt.Progress != nil {
		opt.Progress.Start(f.Name, f.size())
		defer opt.Progress.Done()
		opt.Progress.Phase("写入仓库")
	}
	return l.Load(ctx, runID, b)
}

// optionsText is the canonical text of the read options that change what a
// file's bytes mean: a forced period, mapping or encoding. "" when none.
func optionsText(ro ReadOptions) string {
	var parts []string
	if ro.Period != nil {
		parts = append(parts, "period="+ro.Period.String())
	}
	if ro.Mapping != nil {
		parts = append(parts, "mapping="+ro.Mapping.Name+"@"+ro.Mapping.fingerprint())
	}
	if ro.Encoding != "" && ro.Encoding != EncAuto {
		parts = append(parts, "encoding="+ro.Encoding)
	}
	return strings.Join(parts, ";")
}

// identity is what makes two loads the same: the content hash alone with
// default options (as every load recorded before options were), else the
// hash of the content hash and the options.
func identity(hash, options string) string {
	if options == "" {
		return hash
	}
	return HashBytes([]byte(hash + "\n" + options))
}

func resultOf(b *Batch) LoadResult {
	return LoadResult{File: b.File, Facts: b.Len(), Targets: len(b.Targets), Format: b.Format, Encoding: b.Encoding,
		Mapping: b.Mapping, Warnings: b.Problems.Warnings(), Problems: b.Problems.Errors(),
		MoreWarnings: b.Dropped[SeverityWarning], MoreProblems: b.Dropped[SeverityError]}
}
