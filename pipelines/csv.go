package pipelines

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sync/errgroup"

	"github.com/linyi-sti/innowatch"
)

// blockSize is the unit of parallel CSV parsing: big enough that a block's
// fixed costs vanish, small enough that a few in flight stay cheap.
const blockSize = 4 << 20

// ReadCSV reads a canonical CSV file held in memory: long facts (header
// region_code, period, indicator, value, …) or targets (header with
// target_kind). The encoding is detected. Every problem in the file is
// collected; the batch is loadable only when it has no errors.
func ReadCSV(name string, data []byte, cat *innowatch.Catalog) *Batch {
	return readCSV(context.Background(), name, bytes.NewReader(data), cat, ReadOptions{})
}

// readCSV streams a CSV file: the raw bytes are hashed as they are read,
// decoded to UTF-8, cut into blocks at line ends outside quotes, parsed and
// validated by one worker per core, and put back in file order.
func readCSV(ctx context.Context, name string, r io.Reader, cat *innowatch.Catalog, opt ReadOptions) *Batch {
	b := newBatch(name, nil)
	h := sha256.New()
	counted := &countingReader{r: io.TeeReader(r, h), progress: opt.Progress}
	defer func() {
		// Whatever was not read yet still belongs to the content hash.
		io.Copy(io.Discard, counted)
		b.Hash = hex.EncodeToString(h.Sum(nil))
	}()

	head := make([]byte, sniffLen)
	n, err := io.ReadFull(counted, head)
	head = head[:n]
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		b.report(Problem{Severity: SeverityError, Key: "read_error", Message: "读取文件失败: " + err.Error()})
		return b
	}
	enc, bom := DetectEncoding(head)
	if opt.Encoding != EncAuto {
		enc = opt.Encoding
		if enc == EncUTF8 && bytes.HasPrefix(head, []byte(utf8BOM)) {
			bom = 3
		}
	}
	b.Encoding = enc
	if isBinary(head) {
		b.report(Problem{Severity: SeverityError, Key: "not_text", Message: "文件不是文本（可能是损坏的或其他格式的文件）",
			Expected: "CSV 文本（UTF-8、GBK 或 GB18030）", Hint: "检查文件扩展名是否与内容相符"})
		return b
	}
	text := bufio.NewReaderSize(DecodeReader(io.MultiReader(bytes.NewReader(head[bom:]), counted), enc), 64<<10)
	headerLine, err := text.ReadBytes('\n')
	if err != nil && err != io.EOF {
		b.report(Problem{Severity: SeverityError, Key: "read_error", Message: "读取文件失败: " + err.Error()})
		return b
	}
	if len(bytes.TrimSpace(headerLine)) == 0 {
		b.report(Problem{Severity: SeverityError, Key: "empty_file", Message: "文件为空",
			Expected: "表头 region_code,period,indicator,value 及数据行"})
		return b
	}
	if enc == EncUTF8 && !utf8.Valid(headerLine) {
		b.report(encodingProblem(1, enc))
		return b
	}
	switch delimiterOf(headerLine) {
	case '\t':
		// Excel's "Unicode 文本" export: tab-separated. Re-written as CSV on
		// the fly so the parallel reader sees commas (values keep "1,234").
		conv := retabulate(io.MultiReader(bytes.NewReader(headerLine), text))
		defer conv.Close()
		text = bufio.NewReaderSize(conv, 64<<10)
		if headerLine, err = text.ReadBytes('\n'); err != nil && err != io.EOF {
			b.report(Problem{Severity: SeverityError, Key: "read_error", Message: "读取文件失败: " + err.Error()})
			return b
		}
	case ';':
		b.report(Problem{Severity: SeverityError, Key: "wrong_delimiter", Row: 1, Value: strings.TrimSpace(string(headerLine)),
			Message: "表头以分号（;）分隔，而 CSV 须以逗号分隔", Expected: "逗号分隔的表头 region_code,period,indicator,value",
			Hint: "在 Excel/WPS 中另存为“CSV（逗号分隔）”，或把分号替换为逗号（数值中的逗号需加引号）"})
		return b
	}
	hr := csv.NewReader(bytes.NewReader(headerLine))
	header, err := hr.Read()
	if err != nil {
		b.report(csvProblem(name, err, 0))
		return b
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	// Excel saves the empty columns right of a table as trailing commas.
	header = trimEmptyTail(header)
	if indexOf(header, "target_kind") >= 0 {
		b.Format = "targets_csv"
		tr := csv.NewReader(text)
		tr.FieldsPerRecord = -1
		readTargets(b, tr, header, cat, 1)
		return b
	}
	b.Format = "long_csv"
	col, ok := mapHeader(b, header, longRequired, longOptional)
	if !ok {
		return b
	}
	readLongBlocks(ctx, b, text, newLongCols(col, len(header)), cat, opt)
	if opt.deferFactChecks {
		b.factChecksPending = true // the caller runs them (validateOne)
	} else {
		checkFacts(b, cat)
	}
	return b
}

// block is a run of whole CSV lines.
type block struct {
	seq    int
	line   int // line number of the block's first line (the header is line 1)
	data   []byte
	quoted bool // contains a double quote: parse with encoding/csv
}

type blockResult struct {
	seq   int
	bytes int
	out   *factStore
	dict  []string // the worker's dict as of this block
	probs []Problem
	more  map[Severity]int
	rows  int
}

// readLongBlocks cuts text into blocks and parses them in parallel with a
// bounded errgroup; results are absorbed in file order.
func readLongBlocks(ctx context.Context, b *Batch, text io.Reader, cols longCols, cat *innowatch.Catalog, opt ReadOptions) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	blocks := make(chan block, workers)
	results := make(chan blockResult, workers)
	g, gctx := errgroup.WithContext(ctx)
	size := opt.blockSize
	if size <= 0 {
		size = blockSize
	}
	// The 4 MB blocks go back to the cutter once parsed (a national file
	// allocated 212 MB of them): nothing keeps a view of a block's bytes
	// (the dicts and caches copy what they keep, and so do the problems).
	freeBlocks := make(chan []byte, 2*workers+2)
	g.Go(func() error {
		defer close(blocks)
		return cutBlocks(gctx, text, blocks, size, freeBlocks)
	})
	// A block's facts are copied into the batch's store; the block's store
	// then goes back to the workers, which reuse its slices (growing a new
	// one for every 4 MB block allocated several times the batch's facts).
	free := make(chan *factStore, 2*workers+2)
	var wg errgroup.Group
	wg.SetLimit(workers)
	for w := 0; w < workers; w++ {
		wg.Go(func() error {
			p := newRowParser(cat, b.File, "", cols)
			words := p.out.strs // this worker's dict; a recycled store had another's
			var rec []string
			for blk := range blocks {
				res := blockResult{seq: blk.seq, bytes: len(blk.data)}
				out := &factStore{}
				select {
				case out = <-free:
					out.truncate()
				default:
				}
				out.strs = words
				p.out = out
				p.probs, p.more, p.kept = nil, map[Severity]int{}, map[Severity]int{}
				if blk.quoted {
					res.rows = parseQuotedBlock(p, b.File, blk, b.Encoding)
				} else {
					res.rows, rec = parsePlainBlock(p, blk, rec, b.Encoding)
				}
				clear(rec) // views of the block
				select {
				case freeBlocks <- blk.data[:0]:
				default:
				}
				res.out, res.dict, res.probs, res.more = p.out, p.out.strs.strs, p.probs, p.more
				select {
				case results <- res:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(results)
		return wg.Wait()
	})
	// Absorb in order. Each worker's dict only grows, so a remap table per
	// dict is extended as its snapshots get longer.
	pending := map[int]blockResult{}
	remaps := map[*dict][]uint32{}
	next := 0
	for res := range results {
		pending[res.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if next == 0 && opt.sizeHint > int64(r.bytes) && r.bytes > 0 {
				// Reserve room for the whole file once, estimated from the
				// first block, instead of growing by doubling.
				b.facts.grow(int(float64(r.out.Len()) / float64(r.bytes) * float64(opt.sizeHint) * 1.02))
			}
			next++
			absorbBlock(b, r, remaps)
			select {
			case free <- r.out:
			default:
			}
		}
	}
	if err := g.Wait(); err != nil {
		b.report(Problem{Severity: SeverityError, Key: "read_error", Message: "读取文件失败: " + err.Error()})
	}
}

func absorbBlock(b *Batch, r blockResult, remaps map[*dict][]uint32) {
	b.RowsRead += r.rows
	for _, p := range r.probs {
		b.report(p)
	}
	for sev, n := range r.more {
		if b.Dropped == nil {
			b.Dropped = map[Severity]int{}
		}
		b.Dropped[sev] += n
	}
	if r.out.Len() == 0 {
		return
	}
	remap := remaps[r.out.strs]
	for id := len(remap); id < len(r.dict); id++ {
		remap = append(remap, b.facts.strs.id(r.dict[id]))
	}
	remaps[r.out.strs] = remap
	b.facts.absorbRemapped(r.out, remap)
}

// cutBlocks reads text into blocks that end at a line end outside quotes,
// into buffers the parsers hand back on free when they are done with them
// (or new ones).
func cutBlocks(ctx context.Context, text io.Reader, out chan<- block, blockSize int, free <-chan []byte) error {
	var carry []byte
	line, seq := 2, 0
	inQuote := false // quote state at the start of carry
	for {
		var buf []byte
		select {
		case buf = <-free:
		default:
		}
		if cap(buf) < len(carry)+blockSize {
			buf = make([]byte, 0, len(carry)+blockSize)
		}
		buf = buf[:len(carry)]
		copy(buf, carry)
		n, err := io.ReadFull(text, buf[len(carry):cap(buf)])
		buf = buf[:len(carry)+n]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return err
		}
		cut, quoted, endQuote := len(buf), false, inQuote
		if !eof {
			cut, quoted, endQuote = safeCut(buf, inQuote)
			if cut < 0 { // one quoted field longer than the block: read more
				carry = buf
				continue
			}
		} else if bytes.IndexByte(buf, '"') >= 0 || inQuote {
			quoted = true
		}
		if cut > 0 {
			blk := block{seq: seq, line: line, data: buf[:cut], quoted: quoted || inQuote}
			line += bytes.Count(blk.data, []byte{'\n'})
			seq++
			select {
			case out <- blk:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if eof {
			return nil
		}
		carry = append([]byte(nil), buf[cut:]...)
		inQuote = endQuote
	}
}

// safeCut finds the end of the last complete line of buf that does not lie
// inside a quoted field, given the quote state at buf's start. It returns -1
// when there is none.
func safeCut(buf []byte, inQuote bool) (cut int, quoted, endQuote bool) {
	if !inQuote && bytes.IndexByte(buf, '"') < 0 {
		return bytes.LastIndexByte(buf, '\n') + 1, false, false
	}
	cut = -1
	q := inQuote
	for i, c := range buf {
		switch c {
		case '"':
			q = !q // "" inside quotes flips twice: parity is what counts
		case '\n':
			if !q {
				cut = i + 1
			}
		}
	}
	if cut <= 0 {
		return -1, true, inQuote
	}
	// Quote state at the cut: recount up to it.
	q = inQuote
	for _, c := range buf[:cut] {
		if c == '"' {
			q = !q
		}
	}
	return cut, true, q
}

// parsePlainBlock splits a block without quotes on newlines and commas. The
// fields are views into the block: rowParser copies what it keeps.
func parsePlainBlock(p *rowParser, blk block, rec []string, enc string) (int, []string) {
	data := blk.data
	checkUTF8 := enc == EncUTF8 && !utf8.Valid(data)
	rows := 0
	for line := blk.line; len(data) > 0; line++ {
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		if len(l) > 0 && l[len(l)-1] == '\r' {
			l = l[:len(l)-1]
		}
		rows++
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if checkUTF8 && !utf8.Valid(l) {
			p.problem(encodingProblemFile(p.file, line, enc))
			continue
		}
		rec = rec[:0]
		for {
			i := bytes.IndexByte(l, ',')
			if i < 0 {
				rec = append(rec, bytesView(l))
				break
			}
			rec = append(rec, bytesView(l[:i]))
			l = l[i+1:]
		}
		if len(rec) != p.cols.n && !emptyTail(rec, p.cols.n) {
			p.bad(line, "", strings.Join(rec, ","), "wrong_field_count", itoa(p.cols.n)+"个字段", "", "字段数为"+itoa(len(rec))+"，与表头不一致")
			continue
		}
		p.row(line, rec)
	}
	return rows, rec
}

// parseQuotedBlock parses a block with quotes through encoding/csv, which
// reports a stray quote precisely.
func parseQuotedBlock(p *rowParser, file string, blk block, enc string) int {
	checkUTF8 := enc == EncUTF8 && !utf8.Valid(blk.data)
	r := csv.NewReader(bytes.NewReader(blk.data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			p.problem(csvProblem(file, err, blk.line-1))
			// An unterminated quote has consumed the rest of the block (blocks
			// are cut at even quote parity); other errors spoil one record.
			continue
		}
		line, _ := r.FieldPos(0) // only valid after a record was read
		line += blk.line - 1
		rows++
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if checkUTF8 && !validFields(rec) {
			p.problem(encodingProblemFile(p.file, line, enc))
			continue
		}
		if len(rec) != p.cols.n && !emptyTail(rec, p.cols.n) {
			p.bad(line, "", strings.Join(rec, ","), "wrong_field_count", itoa(p.cols.n)+"个字段", "", "字段数为"+itoa(len(rec))+"，与表头不一致")
			continue
		}
		p.row(line, rec)
	}
}

func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

const utf8BOM = "\ufeff"

func encodingProblem(line int, enc string) Problem {
	return encodingProblemFile("", line, enc)
}

func encodingProblemFile(file string, line int, enc string) Problem {
	return Problem{Severity: SeverityError, Key: "bad_encoding", File: file, Row: line,
		Message:  "此行不是 " + enc + " 编码（同一文件中混用了编码）",
		Expected: "整个文件使用同一种编码（UTF-8、GBK 或 GB18030）",
		Hint:     "用 Excel 或记事本将文件另存为 UTF-8；若文件本为 GBK，用 --encoding gbk"}
}

// isBinary reports bytes no text file has: NUL, or many control characters.
func isBinary(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return false // UTF-16 text: every other byte of ASCII is NUL
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range head[:min(len(head), 4096)] {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			ctl++
		}
	}
	return ctl > 8
}

// countingReader reports bytes read to a progress callback.
type countingReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n)
	}
	return n, err
}

func itoa(n int) string { return strconv.Itoa(n) }

func validFields(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// trimEmptyTail drops empty names at the end of a header.
func trimEmptyTail(h []string) []string {
	n := len(h)
	for n > 0 && h[n-1] == "" {
		n--
	}
	return h[:n]
}

// delimiterOf guesses a header line's delimiter: a comma when it has one,
// else a tab or a semicolon when it has those.
func delimiterOf(line []byte) byte {
	switch {
	case bytes.IndexByte(line, ',') >= 0:
		return ','
	case bytes.IndexByte(line, '\t') >= 0:
		return '\t'
	case bytes.IndexByte(line, ';') >= 0:
		return ';'
	}
	return ','
}

// retabulate turns tab-separated text into comma-separated CSV as it is
// read (a goroutine writes into a pipe; Close stops it).
func retabulate(r io.Reader) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		cr := csv.NewReader(r)
		cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = '\t', -1, true
		cw := csv.NewWriter(pw)
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if err := cw.Write(rec); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		cw.Flush()
		pw.CloseWithError(cw.Error())
	}()
	return pr
}

// emptyTail reports whether rec has more than n fields, all empty beyond n
// (Excel's trailing empty columns).
func emptyTail(rec []string, n int) bool {
	if len(rec) <= n {
		return false
	}
	for _, f := range rec[n:] {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
