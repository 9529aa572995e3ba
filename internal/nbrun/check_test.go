package nbrun

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// executed wraps cells (JSON) into an executed notebook.
func executed(t *testing.T, cells string) *Notebook {
	t.Helper()
	nb, err := ParseNotebook("x.ipynb", []byte(`{"nbformat": 4, "nbformat_minor": 5,
		"metadata": {"kernelspec": {"name": "gonb", "language": "go"}},
		"cells": [`+cells+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

const (
	mdCell    = `{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# Title"}`
	setupCell = `{"cell_type": "code", "id": "s", "metadata": {}, "execution_count": 1, "outputs": [],
		"source": ["!*rm -f go.work && go work init && go work use . \"${GONB_DIR}/..\"\n", "%noautoget"]}`
	okCell = `{"cell_type": "code", "id": "ok", "metadata": {}, "execution_count": 2, "source": "%%\nfmt.Println(1)",
		"outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]},
		            {"output_type": "stream", "name": "stderr", "text": "a warning that is not a failure\n"}]}`
)

func TestFirstFailure(t *testing.T) {
	tests := []struct {
		name      string
		cells     string
		wantCell  int
		wantKind  Kind
		wantFirst string
		wantIn    []string // substrings of Detail
		wantOut   []string // must not be in Detail
	}{
		{name: "all good", cells: mdCell + "," + setupCell + "," + okCell, wantCell: -1},
		{
			name: "compile error",
			cells: mdCell + "," + setupCell + `,{"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 2,
				"source": ["%%\n", "fmt.Println(\"x\"\n"],
				"outputs": [{"output_type": "error", "ename": "ERROR",
					"evalue": "/tmp/gonb_1/main.go:5:16: missing ',' before newline in argument list",
					"traceback": ["Cell[2]: Line 2\n\nfmt.Println(\"x\"\n               ^\n\nmissing ',' before newline in argument list"]}]}`,
			wantCell: 2, wantKind: KindError, wantFirst: "%%",
			wantIn: []string{"ERROR: /tmp/gonb_1/main.go:5:16: missing ','", "Cell[2]: Line 2"},
		},
		{
			name: "panic keeps the stack from stderr",
			cells: setupCell + `,{"cell_type": "code", "id": "p", "metadata": {}, "execution_count": 2,
				"source": "// Panics.\n%%\npanic(\"boom\")",
				"outputs": [{"output_type": "stream", "name": "stderr", "text": ["panic: "]},
					{"output_type": "stream", "name": "stderr", "text": ["boom\n", "\n", "goroutine 1 [running]:\n",
						"\t \u001b[7m[[ Cell [2] Line 3 ]]\u001b[0m /tmp/gonb_1/main.go:10 +0x65\n"]},
					{"output_type": "stream", "name": "stderr", "text": ["exit status 2\n"]},
					{"output_type": "error", "ename": "ERROR", "evalue": "exit status 2", "traceback": ["exit status 2"]}]}`,
			wantCell: 1, wantKind: KindError, wantFirst: "// Panics.",
			wantIn:  []string{"panic: boom", "[[ Cell [2] Line 3 ]]", "exit status 2"},
			wantOut: []string{"\x1b["},
		},
		{
			name: "shell failure is only a stderr line",
			cells: setupCell + "," + okCell + `,{"cell_type": "code", "id": "sh", "metadata": {}, "execution_count": 3,
				"source": "!echo before\n!false",
				"outputs": [{"output_type": "stream", "name": "stdout", "text": ["before\n"]},
					{"output_type": "stream", "name": "stderr", "text": ["exit status 1\n"]}]}`,
			wantCell: 2, wantKind: KindShell, wantFirst: "!echo before", wantIn: []string{"exit status 1"},
		},
		{
			name: "exit status inside a longer line is not a failure",
			cells: setupCell + `,{"cell_type": "code", "id": "x", "metadata": {}, "execution_count": 2, "source": "%%",
				"outputs": [{"output_type": "stream", "name": "stderr", "text": "the child reported exit status 1 earlier\n"}]}`,
			wantCell: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ce := FirstFailure(executed(t, tt.cells))
			if tt.wantCell < 0 {
				if ce != nil {
					t.Fatalf("FirstFailure = %v, want nil", ce)
				}
				return
			}
			if ce == nil {
				t.Fatal("FirstFailure = nil, want a failure")
			}
			if ce.Cell != tt.wantCell || ce.Kind != tt.wantKind || ce.FirstLine != tt.wantFirst {
				t.Errorf("got cell %d kind %q first line %q, want %d %q %q", ce.Cell, ce.Kind, ce.FirstLine,
					tt.wantCell, tt.wantKind, tt.wantFirst)
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(ce.Detail, s) {
					t.Errorf("Detail lacks %q:\n%s", s, ce.Detail)
				}
			}
			for _, s := range tt.wantOut {
				if strings.Contains(ce.Detail, s) {
					t.Errorf("Detail has %q:\n%s", s, ce.Detail)
				}
			}
			msg := ce.Error()
			if !strings.HasPrefix(msg, fmt.Sprintf("x.ipynb: cell %d (id ", tt.wantCell)) || !strings.Contains(msg, tt.wantFirst) {
				t.Errorf("Error() does not name the notebook and cell: %s", msg)
			}
		})
	}
}

func TestCheckCommitted(t *testing.T) {
	clean := strings.NewReplacer(`"execution_count": 1`, `"execution_count": null`).Replace(setupCell) +
		`,{"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [], "source": "%%"}`
	if err := CheckCommitted(executed(t, mdCell+","+clean), true); err != nil {
		t.Fatalf("clean notebook: %v", err)
	}

	tests := []struct {
		name   string
		nb     string // whole notebook JSON
		wantIn []string
	}{
		{
			name: "outputs and counts",
			nb: `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "gonb"}},
				"cells": [` + setupCell + "," + okCell + `]}`,
			wantIn: []string{"cell 0 (\"!*rm -f go.work", "execution count 1", "cell 1 (\"%%\") has 2 outputs", "execution count 2"},
		},
		{
			name: "ids, kernel, format, setup cell",
			nb: `{"nbformat": 4, "nbformat_minor": 4, "metadata": {"kernelspec": {"name": "python3"}},
				"cells": [{"cell_type": "markdown", "id": "a", "source": ""},
					{"cell_type": "code", "id": "a", "source": "%%", "outputs": [], "execution_count": null},
					{"cell_type": "code", "source": "%%", "outputs": [], "execution_count": null}]}`,
			wantIn: []string{`kernelspec "python3"`, "nbformat 4.4", `cells 0 and 1 share the id "a"`,
				"cell 2 has no id", "cell 1: the first code cell must start with"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := ParseNotebook("n.ipynb", []byte(tt.nb))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckCommitted(nb, true)
			if err == nil {
				t.Fatal("CheckCommitted = nil, want problems")
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error lacks %q:\n%v", s, err)
				}
			}
			if !strings.HasPrefix(err.Error(), "n.ipynb: ") {
				t.Errorf("error does not name the notebook: %v", err)
			}
		})
	}
}

func TestParseNotebookErrors(t *testing.T) {
	_, err := ParseNotebook("bad.ipynb", []byte("{\n  \"cells\": [\n    oops\n]}"))
	if err == nil || !strings.HasPrefix(err.Error(), "bad.ipynb:3:") {
		t.Errorf("syntax error = %v, want bad.ipynb:3:<col>", err)
	}
	_, err = ParseNotebook("old.ipynb", []byte(`{"nbformat": 3, "cells": []}`))
	if err == nil || !strings.Contains(err.Error(), "nbformat 3, want 4") {
		t.Errorf("nbformat 3 = %v", err)
	}
	_, err = ParseNotebook("src.ipynb", []byte(`{"nbformat": 4, "cells": [{"cell_type": "code", "source": 7}]}`))
	if err == nil || !strings.Contains(err.Error(), "want a string or a list of strings") {
		t.Errorf("numeric source = %v", err)
	}
}

func TestCellErrorMessage(t *testing.T) {
	ce := &CellError{Notebook: "n.ipynb", Cell: -1, Kind: KindKernel, Detail: "no such kernel"}
	want := "n.ipynb: kernel failure before any cell ran\n    no such kernel"
	if got := ce.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var target *CellError
	if !errors.As(error(ce), &target) {
		t.Error("errors.As failed")
	}
}

func TestTail(t *testing.T) {
	s := strings.Repeat("line\n", 100) + "the reason\n"
	got := tail(s, 30)
	if !strings.HasPrefix(got, "…\nline\n") || !strings.HasSuffix(got, "the reason\n") || len(got) > 34 {
		t.Errorf("tail = %q", got)
	}
	if tail("short", 30) != "short" {
		t.Error("tail changed a short string")
	}
}
