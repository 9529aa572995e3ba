package nbrun

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newRunner returns a Runner writing to a temporary directory, or skips the
// test when `make setup` has not been run.
func newRunner(t *testing.T, opts ...Option) *Runner {
	t.Helper()
	r, err := New(append([]Option{WithOutDir(t.TempDir()), WithCellTimeout(2 * time.Minute)}, opts...)...)
	if errors.Is(err, ErrNotSetUp) {
		t.Skipf("SKIP: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunGood(t *testing.T) {
	t.Parallel()
	r := newRunner(t)
	res, err := r.Run(context.Background(), filepath.Join("testdata", "good.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := ReadNotebook(res.Executed)
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.Type == "stream" && o.Name == "stdout" {
				stdout.WriteString(string(o.Text))
			}
		}
	}
	if got, want := stdout.String(), "hello, nbrun\nshell works\n"; got != want {
		t.Errorf("stdout of the executed notebook = %q, want %q", got, want)
	}
	html, err := os.ReadFile(res.HTML)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "hello, nbrun") {
		t.Errorf("%s lacks the cell output", res.HTML)
	}
}

func TestRunBroken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		notebook  string
		cell      int
		kind      Kind
		firstLine string
		detail    string
	}{
		{"compile_error", 3, KindError, "%%", "missing ',' before newline in argument list"},
		{"panic", 2, KindError, "// Panics at run time.", "panic: boom from fixture"},
		{"shell_failure", 2, KindShell, "!echo before", "exit status 1"},
	}
	r := newRunner(t)
	for _, tt := range tests {
		t.Run(tt.notebook, func(t *testing.T) {
			t.Parallel()
			res, err := r.Run(context.Background(), filepath.Join("testdata", tt.notebook+".ipynb"))
			var ce *CellError
			if !errors.As(err, &ce) {
				t.Fatalf("Run = %v, want a *CellError", err)
			}
			if ce.Cell != tt.cell || ce.Kind != tt.kind || ce.FirstLine != tt.firstLine {
				t.Errorf("failure at cell %d (%q), kind %q; want cell %d (%q), kind %q\n%v",
					ce.Cell, ce.FirstLine, ce.Kind, tt.cell, tt.firstLine, tt.kind, err)
			}
			if !strings.Contains(ce.Detail, tt.detail) {
				t.Errorf("detail lacks %q:\n%s", tt.detail, ce.Detail)
			}
			if !strings.Contains(err.Error(), tt.notebook+".ipynb: cell ") {
				t.Errorf("message does not name the notebook: %v", err)
			}
			// The outputs up to the failure are kept, and nothing after it ran.
			nb, rerr := ReadNotebook(res.Executed)
			if rerr != nil {
				t.Fatalf("executed copy of a failed notebook: %v", rerr)
			}
			for i := tt.cell + 1; i < len(nb.Cells); i++ {
				if len(nb.Cells[i].Outputs) > 0 || nb.Cells[i].ExecutionCount != nil {
					t.Errorf("cell %d after the failure was executed", i)
				}
			}
			if _, serr := os.Stat(res.HTML); serr != nil {
				t.Errorf("no HTML for the failed notebook: %v", serr)
			}
		})
	}
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	// The cell sleeps for ten minutes (compiling it may take the 5 s already).
	r := newRunner(t, WithCellTimeout(5*time.Second))
	_, err := r.Run(context.Background(), filepath.Join("testdata", "slow.ipynb"))
	var ce *CellError
	if !errors.As(err, &ce) || ce.Kind != KindTimeout || ce.Cell != 1 || ce.FirstLine != "%%" {
		t.Fatalf("Run = %v, want a timeout in cell 1", err)
	}
	if !strings.Contains(ce.Detail, "did not finish within 5 s") {
		t.Errorf("detail does not give the limit:\n%s", ce.Detail)
	}
}

func TestRunMissingKernel(t *testing.T) {
	r := newRunner(t)
	r.kernel = "no-such-kernel" // past New's check of the kernelspec
	_, err := r.Run(context.Background(), filepath.Join("testdata", "good.ipynb"))
	var ce *CellError
	if !errors.As(err, &ce) || ce.Kind != KindKernel || ce.Cell != -1 {
		t.Fatalf("Run = %v, want a kernel failure before any cell", err)
	}
	if !strings.Contains(ce.Detail, "no-such-kernel") {
		t.Errorf("detail does not name the kernel:\n%s", ce.Detail)
	}
}

func TestNewNotSetUp(t *testing.T) {
	_, err := New(WithRoot(t.TempDir()))
	if !errors.Is(err, ErrNotSetUp) || !strings.Contains(err.Error(), "make setup") {
		t.Fatalf("New in an empty directory = %v, want ErrNotSetUp", err)
	}
}

func TestFindRoot(t *testing.T) {
	root, err := FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if !isFile(filepath.Join(root, "environment", "setup.sh")) {
		t.Errorf("FindRoot = %s", root)
	}
	if _, err := FindRoot(t.TempDir()); err == nil {
		t.Error("FindRoot outside a checkout succeeded")
	}
}
