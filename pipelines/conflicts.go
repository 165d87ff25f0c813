package pipelines

import (
	"fmt"
	"math"

	"github.com/linyi-sti/innowatch"
)

// crossKey is a fact's key across batches (strings from each batch's dict).
type crossKey struct {
	region    string
	period    int32
	indicator string
}

type crossRef struct {
	batch int
	fact  int32
}

// crossFileConflicts refuses the files of one command that state the same
// fact differently: which is right is for the statistician to say, not the
// order of the arguments. Both files get an error naming the other file and
// its cell. Files that agree, or whose facts do not overlap, are untouched.
func crossFileConflicts(batches []*Batch) {
	var live []int
	for i, b := range batches {
		if !b.HasErrors() && b.Len() > 0 && b.seen == nil {
			live = append(live, i)
		}
	}
	if len(live) < 2 {
		return
	}
	seen := map[crossKey]crossRef{}
	reported := map[[2]int]int{}
	for _, bi := range live {
		s := batches[bi].facts
		for i := range s.Len() {
			k := crossKey{s.strs.str(s.region[i]), s.period[i], s.strs.str(s.indicator[i])}
			prev, ok := seen[k]
			if !ok {
				seen[k] = crossRef{bi, int32(i)}
				continue
			}
			if prev.batch == bi {
				continue // a duplicate within one file is checkFacts' error
			}
			o := batches[prev.batch].facts
			j := int(prev.fact)
			if sameFact(o, j, s, i) {
				continue
			}
			pair := [2]int{prev.batch, bi}
			if reported[pair] >= MaxProblems {
				continue
			}
			reported[pair]++
			key := k.region + "|" + unpackPeriod(k.period).String() + "|" + k.indicator
			batches[bi].report(conflictProblem(s, i, key, batches[prev.batch].File, o, j))
			batches[prev.batch].report(conflictProblem(o, j, key, batches[bi].File, s, i))
		}
	}
}

func sameFact(a *factStore, i int, b *factStore, j int) bool {
	am, bm := a.reason[i] != 0, b.reason[j] != 0
	if am || bm {
		return am == bm
	}
	x, y := a.value[i], b.value[j]
	return x == y || math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y))
}

func factText(s *factStore, i int) string {
	if s.reason[i] != 0 {
		return "缺失（" + s.strs.str(s.reason[i]) + "）"
	}
	return innowatch.FormatFloat(s.value[i])
}

func cellText(s *factStore, i int) string {
	if sh := s.strs.str(s.sheet[i]); sh != "" {
		return fmt.Sprintf("工作表“%s”第%d行", sh, s.row[i])
	}
	return fmt.Sprintf("第%d行", s.row[i])
}

func conflictProblem(s *factStore, i int, key, otherFile string, o *factStore, j int) Problem {
	col := ""
	if s.sheet[i] == 0 {
		col = "value"
	}
	return Problem{Severity: SeverityError, Key: "cross_file_conflict", Sheet: s.strs.str(s.sheet[i]), Row: int(s.row[i]), Column: col,
		Value: factText(s, i), Message: "与同一命令中的另一个文件对同一事实（" + key + "）的数值不一致",
		Expected: fmt.Sprintf("与 %s %s 的 %s 一致", otherFile, cellText(o, j), factText(o, j)),
		Hint:     "两个文件都未导入：请确认哪个正确，只导入正确的文件，或改正后一并导入",
		Region:   s.strs.str(s.region[i]), Indicator: s.strs.str(s.indicator[i]), Period: unpackPeriod(s.period[i]).String()}
}
