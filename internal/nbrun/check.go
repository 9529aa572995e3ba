package nbrun

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Kind says how a cell failed.
type Kind string

const (
	// KindError: the cell produced an error output (compile error, panic,
	// non-zero exit of the cell's program, failed %test).
	KindError Kind = "error"
	// KindShell: a `!` / `!*` shell line of the cell exited non-zero. GoNB
	// reports that only as an "exit status N" line on stderr.
	KindShell Kind = "shell command failed"
	// KindTimeout: the cell ran longer than the per-cell timeout.
	KindTimeout Kind = "timeout"
	// KindKernel: the kernel died or could not be started.
	KindKernel Kind = "kernel failure"
)

// shellFailure matches GoNB's report of a failed shell command. Must match
// SHELL_FAILURE in execute.py.
var shellFailure = regexp.MustCompile(`(?m)^exit status \d+$`)

// ansi matches terminal colour codes, which GoNB puts into tracebacks.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// maxDetail bounds the error text kept in a CellError.
const maxDetail = 4000

// CellError reports the cell that made a notebook fail.
type CellError struct {
	Notebook  string // notebook path as given to the runner
	Cell      int    // 0-based index among all cells (markdown included); -1 if none had started
	CellID    string // the cell's nbformat id, if it has one
	FirstLine string // first non-blank source line of that cell
	Kind      Kind
	Detail    string // error text, or the cell's stderr
	Executed  string // executed copy with the outputs up to the failure, if written
}

func (e *CellError) Error() string {
	var sb strings.Builder
	switch {
	case e.Cell >= 0 && e.CellID != "":
		fmt.Fprintf(&sb, "%s: cell %d (id %s, %q): %s", e.Notebook, e.Cell, e.CellID, e.FirstLine, e.Kind)
	case e.Cell >= 0:
		fmt.Fprintf(&sb, "%s: cell %d (%q): %s", e.Notebook, e.Cell, e.FirstLine, e.Kind)
	default:
		fmt.Fprintf(&sb, "%s: %s before any cell ran", e.Notebook, e.Kind)
	}
	if d := strings.TrimSpace(e.Detail); d != "" {
		sb.WriteString("\n")
		for _, l := range strings.Split(d, "\n") {
			sb.WriteString("    ")
			sb.WriteString(l)
			sb.WriteString("\n")
		}
	}
	if e.Executed != "" {
		fmt.Fprintf(&sb, "    (outputs up to the failure: %s)", e.Executed)
	}
	return strings.TrimRight(sb.String(), "\n")
}

// FirstFailure returns the first code cell of an executed notebook whose
// outputs show a failure: an error output, or a stderr line "exit status N"
// from a shell command. It returns nil if every cell succeeded.
func FirstFailure(nb *Notebook) *CellError {
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.Type != "code" {
			continue
		}
		stderr := ansi.ReplaceAllString(c.stderr(), "")
		for _, o := range c.Outputs {
			if o.Type != "error" {
				continue
			}
			// A panic's evalue is only "exit status 2"; the stack trace is
			// on stderr. A compile error is fully in the traceback.
			var parts []string
			if s := strings.TrimSpace(stderr); s != "" {
				parts = append(parts, s)
			}
			tb := strings.TrimSpace(ansi.ReplaceAllString(strings.Join(o.Traceback, "\n"), ""))
			if tb == "" || !strings.Contains(stderr, tb) {
				head := strings.TrimSpace(o.EName + ": " + o.EValue)
				if tb != "" && tb != strings.TrimSpace(o.EValue) {
					head += "\n" + tb
				}
				parts = append(parts, head)
			}
			return &CellError{Notebook: nb.Path, Cell: i, CellID: c.ID, FirstLine: c.FirstLine(), Kind: KindError,
				Detail: tail(strings.Join(parts, "\n"), maxDetail)}
		}
		if shellFailure.MatchString(stderr) {
			return &CellError{Notebook: nb.Path, Cell: i, CellID: c.ID, FirstLine: c.FirstLine(), Kind: KindShell,
				Detail: tail(strings.TrimSpace(stderr), maxDetail)}
		}
	}
	return nil
}

// SetupCell is the first code cell every rivulet notebook starts with. It
// makes GoNB build cells inside a go.work that uses this checkout's module
// (the notebook's parent directory), and turns off GoNB's automatic `go get`
// so every version comes from the project's go.mod and nothing is fetched at
// "latest".
const SetupCell = `!*rm -f go.work && go work init && go work use . "${GONB_DIR}/.."
%noautoget`

// CheckCommitted reports why nb is not fit to commit: outputs or execution
// counts left in code cells, missing or duplicate cell ids, a kernel other
// than gonb. With wantSetup it also requires the first code cell to be
// SetupCell. It returns nil if all is well, or all problems joined.
func CheckCommitted(nb *Notebook, wantSetup bool) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{nb.Path}, args...)...))
	}
	if k := nb.Metadata.KernelSpec.Name; k != "gonb" {
		bad("kernelspec %q, want \"gonb\"", k)
	}
	if nb.FormatMinor < 5 {
		bad("nbformat 4.%d, want 4.5 or later (cell ids)", nb.FormatMinor)
	}
	ids := map[string]int{}
	firstCode := -1
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.ID == "" {
			bad("cell %d has no id", i)
		} else if j, dup := ids[c.ID]; dup {
			bad("cells %d and %d share the id %q", j, i, c.ID)
		} else {
			ids[c.ID] = i
		}
		if c.Type != "code" {
			continue
		}
		if firstCode < 0 {
			firstCode = i
		}
		if len(c.Outputs) > 0 {
			bad("cell %d (%q) has %d outputs; commit notebooks without outputs", i, c.FirstLine(), len(c.Outputs))
		}
		if c.ExecutionCount != nil {
			bad("cell %d (%q) has execution count %d; commit notebooks without outputs", i, c.FirstLine(), *c.ExecutionCount)
		}
	}
	if wantSetup {
		switch {
		case firstCode < 0:
			bad("no code cell")
		case !strings.HasPrefix(strings.TrimSpace(string(nb.Cells[firstCode].Source)), SetupCell):
			bad("cell %d: the first code cell must start with\n%s", firstCode, SetupCell)
		}
	}
	return errors.Join(errs...)
}
